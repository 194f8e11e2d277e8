"""Local fakes of the five chat services, one real HTTP server each on loopback."""

from .base import Answer, FakeChat, Reject, Request
from .chatwork import FakeChatwork
from .google_chat import FakeGoogleChat
from .line_works import FakeLineWorks, private_key_pem
from .slack import FakeSlack
from .teams import FakeTeams

__all__ = [
    "Answer",
    "FakeChat",
    "FakeChatwork",
    "FakeGoogleChat",
    "FakeLineWorks",
    "FakeSlack",
    "FakeTeams",
    "Reject",
    "Request",
    "private_key_pem",
]
