import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from openesc.v1 import token_pb2 as _token_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class WhoAmIRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class WhoAmIResponse(_message.Message):
    __slots__ = ("login", "org", "token_id", "role", "server_version", "kind", "teams", "scope", "token_expire_time")
    LOGIN_FIELD_NUMBER: _ClassVar[int]
    ORG_FIELD_NUMBER: _ClassVar[int]
    TOKEN_ID_FIELD_NUMBER: _ClassVar[int]
    ROLE_FIELD_NUMBER: _ClassVar[int]
    SERVER_VERSION_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    TEAMS_FIELD_NUMBER: _ClassVar[int]
    SCOPE_FIELD_NUMBER: _ClassVar[int]
    TOKEN_EXPIRE_TIME_FIELD_NUMBER: _ClassVar[int]
    login: str
    org: str
    token_id: str
    role: str
    server_version: str
    kind: str
    teams: _containers.RepeatedScalarFieldContainer[str]
    scope: _token_pb2.TokenScope
    token_expire_time: _timestamp_pb2.Timestamp
    def __init__(self, login: _Optional[str] = ..., org: _Optional[str] = ..., token_id: _Optional[str] = ..., role: _Optional[str] = ..., server_version: _Optional[str] = ..., kind: _Optional[str] = ..., teams: _Optional[_Iterable[str]] = ..., scope: _Optional[_Union[_token_pb2.TokenScope, _Mapping]] = ..., token_expire_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...
