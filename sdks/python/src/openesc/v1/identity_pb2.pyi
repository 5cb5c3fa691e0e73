from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Optional as _Optional

DESCRIPTOR: _descriptor.FileDescriptor

class WhoAmIRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class WhoAmIResponse(_message.Message):
    __slots__ = ("login", "org", "token_id", "role", "server_version")
    LOGIN_FIELD_NUMBER: _ClassVar[int]
    ORG_FIELD_NUMBER: _ClassVar[int]
    TOKEN_ID_FIELD_NUMBER: _ClassVar[int]
    ROLE_FIELD_NUMBER: _ClassVar[int]
    SERVER_VERSION_FIELD_NUMBER: _ClassVar[int]
    login: str
    org: str
    token_id: str
    role: str
    server_version: str
    def __init__(self, login: _Optional[str] = ..., org: _Optional[str] = ..., token_id: _Optional[str] = ..., role: _Optional[str] = ..., server_version: _Optional[str] = ...) -> None: ...
