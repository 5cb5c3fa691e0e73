import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class EnvironmentTag(_message.Message):
    __slots__ = ("name", "value", "create_time", "update_time", "editor")
    NAME_FIELD_NUMBER: _ClassVar[int]
    VALUE_FIELD_NUMBER: _ClassVar[int]
    CREATE_TIME_FIELD_NUMBER: _ClassVar[int]
    UPDATE_TIME_FIELD_NUMBER: _ClassVar[int]
    EDITOR_FIELD_NUMBER: _ClassVar[int]
    name: str
    value: str
    create_time: _timestamp_pb2.Timestamp
    update_time: _timestamp_pb2.Timestamp
    editor: str
    def __init__(self, name: _Optional[str] = ..., value: _Optional[str] = ..., create_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., update_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., editor: _Optional[str] = ...) -> None: ...

class SetEnvironmentTagRequest(_message.Message):
    __slots__ = ("org", "project", "environment", "name", "value")
    ORG_FIELD_NUMBER: _ClassVar[int]
    PROJECT_FIELD_NUMBER: _ClassVar[int]
    ENVIRONMENT_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    VALUE_FIELD_NUMBER: _ClassVar[int]
    org: str
    project: str
    environment: str
    name: str
    value: str
    def __init__(self, org: _Optional[str] = ..., project: _Optional[str] = ..., environment: _Optional[str] = ..., name: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...

class SetEnvironmentTagResponse(_message.Message):
    __slots__ = ("tag",)
    TAG_FIELD_NUMBER: _ClassVar[int]
    tag: EnvironmentTag
    def __init__(self, tag: _Optional[_Union[EnvironmentTag, _Mapping]] = ...) -> None: ...

class GetEnvironmentTagRequest(_message.Message):
    __slots__ = ("org", "project", "environment", "name")
    ORG_FIELD_NUMBER: _ClassVar[int]
    PROJECT_FIELD_NUMBER: _ClassVar[int]
    ENVIRONMENT_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    org: str
    project: str
    environment: str
    name: str
    def __init__(self, org: _Optional[str] = ..., project: _Optional[str] = ..., environment: _Optional[str] = ..., name: _Optional[str] = ...) -> None: ...

class GetEnvironmentTagResponse(_message.Message):
    __slots__ = ("tag",)
    TAG_FIELD_NUMBER: _ClassVar[int]
    tag: EnvironmentTag
    def __init__(self, tag: _Optional[_Union[EnvironmentTag, _Mapping]] = ...) -> None: ...

class RenameEnvironmentTagRequest(_message.Message):
    __slots__ = ("org", "project", "environment", "name", "new_name")
    ORG_FIELD_NUMBER: _ClassVar[int]
    PROJECT_FIELD_NUMBER: _ClassVar[int]
    ENVIRONMENT_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    NEW_NAME_FIELD_NUMBER: _ClassVar[int]
    org: str
    project: str
    environment: str
    name: str
    new_name: str
    def __init__(self, org: _Optional[str] = ..., project: _Optional[str] = ..., environment: _Optional[str] = ..., name: _Optional[str] = ..., new_name: _Optional[str] = ...) -> None: ...

class RenameEnvironmentTagResponse(_message.Message):
    __slots__ = ("tag",)
    TAG_FIELD_NUMBER: _ClassVar[int]
    tag: EnvironmentTag
    def __init__(self, tag: _Optional[_Union[EnvironmentTag, _Mapping]] = ...) -> None: ...

class DeleteEnvironmentTagRequest(_message.Message):
    __slots__ = ("org", "project", "environment", "name")
    ORG_FIELD_NUMBER: _ClassVar[int]
    PROJECT_FIELD_NUMBER: _ClassVar[int]
    ENVIRONMENT_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    org: str
    project: str
    environment: str
    name: str
    def __init__(self, org: _Optional[str] = ..., project: _Optional[str] = ..., environment: _Optional[str] = ..., name: _Optional[str] = ...) -> None: ...

class DeleteEnvironmentTagResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ListEnvironmentTagsRequest(_message.Message):
    __slots__ = ("org", "project", "environment", "page_size", "page_token")
    ORG_FIELD_NUMBER: _ClassVar[int]
    PROJECT_FIELD_NUMBER: _ClassVar[int]
    ENVIRONMENT_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    org: str
    project: str
    environment: str
    page_size: int
    page_token: str
    def __init__(self, org: _Optional[str] = ..., project: _Optional[str] = ..., environment: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListEnvironmentTagsResponse(_message.Message):
    __slots__ = ("tags", "next_page_token")
    TAGS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    tags: _containers.RepeatedCompositeFieldContainer[EnvironmentTag]
    next_page_token: str
    def __init__(self, tags: _Optional[_Iterable[_Union[EnvironmentTag, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...
