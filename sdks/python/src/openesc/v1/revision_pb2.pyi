import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class Revision(_message.Message):
    __slots__ = ("number", "definition", "create_time", "author", "etag", "retracted", "retraction_reason", "retracted_by", "retract_time", "replacement_revision", "tags")
    NUMBER_FIELD_NUMBER: _ClassVar[int]
    DEFINITION_FIELD_NUMBER: _ClassVar[int]
    CREATE_TIME_FIELD_NUMBER: _ClassVar[int]
    AUTHOR_FIELD_NUMBER: _ClassVar[int]
    ETAG_FIELD_NUMBER: _ClassVar[int]
    RETRACTED_FIELD_NUMBER: _ClassVar[int]
    RETRACTION_REASON_FIELD_NUMBER: _ClassVar[int]
    RETRACTED_BY_FIELD_NUMBER: _ClassVar[int]
    RETRACT_TIME_FIELD_NUMBER: _ClassVar[int]
    REPLACEMENT_REVISION_FIELD_NUMBER: _ClassVar[int]
    TAGS_FIELD_NUMBER: _ClassVar[int]
    number: int
    definition: str
    create_time: _timestamp_pb2.Timestamp
    author: str
    etag: str
    retracted: bool
    retraction_reason: str
    retracted_by: str
    retract_time: _timestamp_pb2.Timestamp
    replacement_revision: int
    tags: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, number: _Optional[int] = ..., definition: _Optional[str] = ..., create_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., author: _Optional[str] = ..., etag: _Optional[str] = ..., retracted: bool = ..., retraction_reason: _Optional[str] = ..., retracted_by: _Optional[str] = ..., retract_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., replacement_revision: _Optional[int] = ..., tags: _Optional[_Iterable[str]] = ...) -> None: ...

class ListRevisionsRequest(_message.Message):
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

class ListRevisionsResponse(_message.Message):
    __slots__ = ("revisions", "next_page_token")
    REVISIONS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    revisions: _containers.RepeatedCompositeFieldContainer[Revision]
    next_page_token: str
    def __init__(self, revisions: _Optional[_Iterable[_Union[Revision, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class GetRevisionRequest(_message.Message):
    __slots__ = ("org", "project", "environment", "version", "include_retracted", "reveal")
    ORG_FIELD_NUMBER: _ClassVar[int]
    PROJECT_FIELD_NUMBER: _ClassVar[int]
    ENVIRONMENT_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    INCLUDE_RETRACTED_FIELD_NUMBER: _ClassVar[int]
    REVEAL_FIELD_NUMBER: _ClassVar[int]
    org: str
    project: str
    environment: str
    version: str
    include_retracted: bool
    reveal: bool
    def __init__(self, org: _Optional[str] = ..., project: _Optional[str] = ..., environment: _Optional[str] = ..., version: _Optional[str] = ..., include_retracted: bool = ..., reveal: bool = ...) -> None: ...

class GetRevisionResponse(_message.Message):
    __slots__ = ("revision",)
    REVISION_FIELD_NUMBER: _ClassVar[int]
    revision: Revision
    def __init__(self, revision: _Optional[_Union[Revision, _Mapping]] = ...) -> None: ...

class RetractRevisionRequest(_message.Message):
    __slots__ = ("org", "project", "environment", "revision", "replacement_revision", "reason")
    ORG_FIELD_NUMBER: _ClassVar[int]
    PROJECT_FIELD_NUMBER: _ClassVar[int]
    ENVIRONMENT_FIELD_NUMBER: _ClassVar[int]
    REVISION_FIELD_NUMBER: _ClassVar[int]
    REPLACEMENT_REVISION_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    org: str
    project: str
    environment: str
    revision: int
    replacement_revision: int
    reason: str
    def __init__(self, org: _Optional[str] = ..., project: _Optional[str] = ..., environment: _Optional[str] = ..., revision: _Optional[int] = ..., replacement_revision: _Optional[int] = ..., reason: _Optional[str] = ...) -> None: ...

class RetractRevisionResponse(_message.Message):
    __slots__ = ("revision", "new_revision")
    REVISION_FIELD_NUMBER: _ClassVar[int]
    NEW_REVISION_FIELD_NUMBER: _ClassVar[int]
    revision: Revision
    new_revision: int
    def __init__(self, revision: _Optional[_Union[Revision, _Mapping]] = ..., new_revision: _Optional[int] = ...) -> None: ...

class RollbackEnvironmentRequest(_message.Message):
    __slots__ = ("org", "project", "environment", "version", "base_revision")
    ORG_FIELD_NUMBER: _ClassVar[int]
    PROJECT_FIELD_NUMBER: _ClassVar[int]
    ENVIRONMENT_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    BASE_REVISION_FIELD_NUMBER: _ClassVar[int]
    org: str
    project: str
    environment: str
    version: str
    base_revision: int
    def __init__(self, org: _Optional[str] = ..., project: _Optional[str] = ..., environment: _Optional[str] = ..., version: _Optional[str] = ..., base_revision: _Optional[int] = ...) -> None: ...

class RollbackEnvironmentResponse(_message.Message):
    __slots__ = ("revision",)
    REVISION_FIELD_NUMBER: _ClassVar[int]
    revision: Revision
    def __init__(self, revision: _Optional[_Union[Revision, _Mapping]] = ...) -> None: ...
