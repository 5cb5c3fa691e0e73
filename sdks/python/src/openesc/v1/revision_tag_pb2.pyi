import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class RevisionTag(_message.Message):
    __slots__ = ("name", "revision", "create_time", "update_time", "editor")
    NAME_FIELD_NUMBER: _ClassVar[int]
    REVISION_FIELD_NUMBER: _ClassVar[int]
    CREATE_TIME_FIELD_NUMBER: _ClassVar[int]
    UPDATE_TIME_FIELD_NUMBER: _ClassVar[int]
    EDITOR_FIELD_NUMBER: _ClassVar[int]
    name: str
    revision: int
    create_time: _timestamp_pb2.Timestamp
    update_time: _timestamp_pb2.Timestamp
    editor: str
    def __init__(self, name: _Optional[str] = ..., revision: _Optional[int] = ..., create_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., update_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., editor: _Optional[str] = ...) -> None: ...

class CreateRevisionTagRequest(_message.Message):
    __slots__ = ("org", "project", "environment", "tag", "revision")
    ORG_FIELD_NUMBER: _ClassVar[int]
    PROJECT_FIELD_NUMBER: _ClassVar[int]
    ENVIRONMENT_FIELD_NUMBER: _ClassVar[int]
    TAG_FIELD_NUMBER: _ClassVar[int]
    REVISION_FIELD_NUMBER: _ClassVar[int]
    org: str
    project: str
    environment: str
    tag: str
    revision: int
    def __init__(self, org: _Optional[str] = ..., project: _Optional[str] = ..., environment: _Optional[str] = ..., tag: _Optional[str] = ..., revision: _Optional[int] = ...) -> None: ...

class CreateRevisionTagResponse(_message.Message):
    __slots__ = ("tag",)
    TAG_FIELD_NUMBER: _ClassVar[int]
    tag: RevisionTag
    def __init__(self, tag: _Optional[_Union[RevisionTag, _Mapping]] = ...) -> None: ...

class GetRevisionTagRequest(_message.Message):
    __slots__ = ("org", "project", "environment", "tag")
    ORG_FIELD_NUMBER: _ClassVar[int]
    PROJECT_FIELD_NUMBER: _ClassVar[int]
    ENVIRONMENT_FIELD_NUMBER: _ClassVar[int]
    TAG_FIELD_NUMBER: _ClassVar[int]
    org: str
    project: str
    environment: str
    tag: str
    def __init__(self, org: _Optional[str] = ..., project: _Optional[str] = ..., environment: _Optional[str] = ..., tag: _Optional[str] = ...) -> None: ...

class GetRevisionTagResponse(_message.Message):
    __slots__ = ("tag",)
    TAG_FIELD_NUMBER: _ClassVar[int]
    tag: RevisionTag
    def __init__(self, tag: _Optional[_Union[RevisionTag, _Mapping]] = ...) -> None: ...

class UpdateRevisionTagRequest(_message.Message):
    __slots__ = ("org", "project", "environment", "tag", "revision")
    ORG_FIELD_NUMBER: _ClassVar[int]
    PROJECT_FIELD_NUMBER: _ClassVar[int]
    ENVIRONMENT_FIELD_NUMBER: _ClassVar[int]
    TAG_FIELD_NUMBER: _ClassVar[int]
    REVISION_FIELD_NUMBER: _ClassVar[int]
    org: str
    project: str
    environment: str
    tag: str
    revision: int
    def __init__(self, org: _Optional[str] = ..., project: _Optional[str] = ..., environment: _Optional[str] = ..., tag: _Optional[str] = ..., revision: _Optional[int] = ...) -> None: ...

class UpdateRevisionTagResponse(_message.Message):
    __slots__ = ("tag",)
    TAG_FIELD_NUMBER: _ClassVar[int]
    tag: RevisionTag
    def __init__(self, tag: _Optional[_Union[RevisionTag, _Mapping]] = ...) -> None: ...

class DeleteRevisionTagRequest(_message.Message):
    __slots__ = ("org", "project", "environment", "tag")
    ORG_FIELD_NUMBER: _ClassVar[int]
    PROJECT_FIELD_NUMBER: _ClassVar[int]
    ENVIRONMENT_FIELD_NUMBER: _ClassVar[int]
    TAG_FIELD_NUMBER: _ClassVar[int]
    org: str
    project: str
    environment: str
    tag: str
    def __init__(self, org: _Optional[str] = ..., project: _Optional[str] = ..., environment: _Optional[str] = ..., tag: _Optional[str] = ...) -> None: ...

class DeleteRevisionTagResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ListRevisionTagsRequest(_message.Message):
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

class ListRevisionTagsResponse(_message.Message):
    __slots__ = ("tags", "next_page_token")
    TAGS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    tags: _containers.RepeatedCompositeFieldContainer[RevisionTag]
    next_page_token: str
    def __init__(self, tags: _Optional[_Iterable[_Union[RevisionTag, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...
