"""What the tests share: workbooks and configs to sync, the agenda's and chats' fixtures, a
real SMTP server, words as staff read them, the golden stories, a browser to measure pages in,
and clients on the Google emulator. The fakes (fake_google/, fake_chat/) are packages of their
own."""
