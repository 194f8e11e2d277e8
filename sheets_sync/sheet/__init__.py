"""The workbook's declared shape and how to read it: the schema, cell parsers, the tabs as read and
as written, where each tab and header is, which generated tabs are ours, the template, the Log's
rows and the sample stories."""
