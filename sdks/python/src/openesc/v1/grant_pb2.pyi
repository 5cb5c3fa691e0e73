import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class Grant(_message.Message):
    __slots__ = ("org", "subject", "project", "environment", "permission", "update_time", "editor")
    ORG_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_FIELD_NUMBER: _ClassVar[int]
    PROJECT_FIELD_NUMBER: _ClassVar[int]
    ENVIRONMENT_FIELD_NUMBER: _ClassVar[int]
    PERMISSION_FIELD_NUMBER: _ClassVar[int]
    UPDATE_TIME_FIELD_NUMBER: _ClassVar[int]
    EDITOR_FIELD_NUMBER: _ClassVar[int]
    org: str
    subject: str
    project: str
    environment: str
    permission: str
    update_time: _timestamp_pb2.Timestamp
    editor: str
    def __init__(self, org: _Optional[str] = ..., subject: _Optional[str] = ..., project: _Optional[str] = ..., environment: _Optional[str] = ..., permission: _Optional[str] = ..., update_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., editor: _Optional[str] = ...) -> None: ...

class SetGrantRequest(_message.Message):
    __slots__ = ("org", "subject", "project", "environment", "permission")
    ORG_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_FIELD_NUMBER: _ClassVar[int]
    PROJECT_FIELD_NUMBER: _ClassVar[int]
    ENVIRONMENT_FIELD_NUMBER: _ClassVar[int]
    PERMISSION_FIELD_NUMBER: _ClassVar[int]
    org: str
    subject: str
    project: str
    environment: str
    permission: str
    def __init__(self, org: _Optional[str] = ..., subject: _Optional[str] = ..., project: _Optional[str] = ..., environment: _Optional[str] = ..., permission: _Optional[str] = ...) -> None: ...

class SetGrantResponse(_message.Message):
    __slots__ = ("grant",)
    GRANT_FIELD_NUMBER: _ClassVar[int]
    grant: Grant
    def __init__(self, grant: _Optional[_Union[Grant, _Mapping]] = ...) -> None: ...

class RemoveGrantRequest(_message.Message):
    __slots__ = ("org", "subject", "project", "environment")
    ORG_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_FIELD_NUMBER: _ClassVar[int]
    PROJECT_FIELD_NUMBER: _ClassVar[int]
    ENVIRONMENT_FIELD_NUMBER: _ClassVar[int]
    org: str
    subject: str
    project: str
    environment: str
    def __init__(self, org: _Optional[str] = ..., subject: _Optional[str] = ..., project: _Optional[str] = ..., environment: _Optional[str] = ...) -> None: ...

class RemoveGrantResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ListGrantsRequest(_message.Message):
    __slots__ = ("org", "subject", "project", "environment")
    ORG_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_FIELD_NUMBER: _ClassVar[int]
    PROJECT_FIELD_NUMBER: _ClassVar[int]
    ENVIRONMENT_FIELD_NUMBER: _ClassVar[int]
    org: str
    subject: str
    project: str
    environment: str
    def __init__(self, org: _Optional[str] = ..., subject: _Optional[str] = ..., project: _Optional[str] = ..., environment: _Optional[str] = ...) -> None: ...

class ListGrantsResponse(_message.Message):
    __slots__ = ("grants",)
    GRANTS_FIELD_NUMBER: _ClassVar[int]
    grants: _containers.RepeatedCompositeFieldContainer[Grant]
    def __init__(self, grants: _Optional[_Iterable[_Union[Grant, _Mapping]]] = ...) -> None: ...
