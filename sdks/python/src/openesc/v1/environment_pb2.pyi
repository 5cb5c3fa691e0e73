import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from openesc.v1 import diagnostic_pb2 as _diagnostic_pb2
from openesc.v1 import revision_pb2 as _revision_pb2
from openesc.v1 import value_pb2 as _value_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class Environment(_message.Message):
    __slots__ = ("org", "project", "name", "revision", "etag", "create_time", "update_time", "created_by", "updated_by", "tags", "deletion_protected")
    class TagsEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    ORG_FIELD_NUMBER: _ClassVar[int]
    PROJECT_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    REVISION_FIELD_NUMBER: _ClassVar[int]
    ETAG_FIELD_NUMBER: _ClassVar[int]
    CREATE_TIME_FIELD_NUMBER: _ClassVar[int]
    UPDATE_TIME_FIELD_NUMBER: _ClassVar[int]
    CREATED_BY_FIELD_NUMBER: _ClassVar[int]
    UPDATED_BY_FIELD_NUMBER: _ClassVar[int]
    TAGS_FIELD_NUMBER: _ClassVar[int]
    DELETION_PROTECTED_FIELD_NUMBER: _ClassVar[int]
    org: str
    project: str
    name: str
    revision: int
    etag: str
    create_time: _timestamp_pb2.Timestamp
    update_time: _timestamp_pb2.Timestamp
    created_by: str
    updated_by: str
    tags: _containers.ScalarMap[str, str]
    deletion_protected: bool
    def __init__(self, org: _Optional[str] = ..., project: _Optional[str] = ..., name: _Optional[str] = ..., revision: _Optional[int] = ..., etag: _Optional[str] = ..., create_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., update_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., created_by: _Optional[str] = ..., updated_by: _Optional[str] = ..., tags: _Optional[_Mapping[str, str]] = ..., deletion_protected: bool = ...) -> None: ...

class EnvironmentSettings(_message.Message):
    __slots__ = ("deletion_protected",)
    DELETION_PROTECTED_FIELD_NUMBER: _ClassVar[int]
    deletion_protected: bool
    def __init__(self, deletion_protected: bool = ...) -> None: ...

class CreateEnvironmentRequest(_message.Message):
    __slots__ = ("org", "project", "environment", "definition")
    ORG_FIELD_NUMBER: _ClassVar[int]
    PROJECT_FIELD_NUMBER: _ClassVar[int]
    ENVIRONMENT_FIELD_NUMBER: _ClassVar[int]
    DEFINITION_FIELD_NUMBER: _ClassVar[int]
    org: str
    project: str
    environment: str
    definition: str
    def __init__(self, org: _Optional[str] = ..., project: _Optional[str] = ..., environment: _Optional[str] = ..., definition: _Optional[str] = ...) -> None: ...

class CreateEnvironmentResponse(_message.Message):
    __slots__ = ("environment", "revision", "diagnostics")
    ENVIRONMENT_FIELD_NUMBER: _ClassVar[int]
    REVISION_FIELD_NUMBER: _ClassVar[int]
    DIAGNOSTICS_FIELD_NUMBER: _ClassVar[int]
    environment: Environment
    revision: _revision_pb2.Revision
    diagnostics: _containers.RepeatedCompositeFieldContainer[_diagnostic_pb2.Diagnostic]
    def __init__(self, environment: _Optional[_Union[Environment, _Mapping]] = ..., revision: _Optional[_Union[_revision_pb2.Revision, _Mapping]] = ..., diagnostics: _Optional[_Iterable[_Union[_diagnostic_pb2.Diagnostic, _Mapping]]] = ...) -> None: ...

class GetEnvironmentRequest(_message.Message):
    __slots__ = ("org", "project", "environment", "version", "reveal")
    ORG_FIELD_NUMBER: _ClassVar[int]
    PROJECT_FIELD_NUMBER: _ClassVar[int]
    ENVIRONMENT_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    REVEAL_FIELD_NUMBER: _ClassVar[int]
    org: str
    project: str
    environment: str
    version: str
    reveal: bool
    def __init__(self, org: _Optional[str] = ..., project: _Optional[str] = ..., environment: _Optional[str] = ..., version: _Optional[str] = ..., reveal: bool = ...) -> None: ...

class GetEnvironmentResponse(_message.Message):
    __slots__ = ("environment", "revision")
    ENVIRONMENT_FIELD_NUMBER: _ClassVar[int]
    REVISION_FIELD_NUMBER: _ClassVar[int]
    environment: Environment
    revision: _revision_pb2.Revision
    def __init__(self, environment: _Optional[_Union[Environment, _Mapping]] = ..., revision: _Optional[_Union[_revision_pb2.Revision, _Mapping]] = ...) -> None: ...

class UpdateEnvironmentRequest(_message.Message):
    __slots__ = ("org", "project", "environment", "definition", "base_revision")
    ORG_FIELD_NUMBER: _ClassVar[int]
    PROJECT_FIELD_NUMBER: _ClassVar[int]
    ENVIRONMENT_FIELD_NUMBER: _ClassVar[int]
    DEFINITION_FIELD_NUMBER: _ClassVar[int]
    BASE_REVISION_FIELD_NUMBER: _ClassVar[int]
    org: str
    project: str
    environment: str
    definition: str
    base_revision: int
    def __init__(self, org: _Optional[str] = ..., project: _Optional[str] = ..., environment: _Optional[str] = ..., definition: _Optional[str] = ..., base_revision: _Optional[int] = ...) -> None: ...

class UpdateEnvironmentResponse(_message.Message):
    __slots__ = ("environment", "revision", "diagnostics")
    ENVIRONMENT_FIELD_NUMBER: _ClassVar[int]
    REVISION_FIELD_NUMBER: _ClassVar[int]
    DIAGNOSTICS_FIELD_NUMBER: _ClassVar[int]
    environment: Environment
    revision: _revision_pb2.Revision
    diagnostics: _containers.RepeatedCompositeFieldContainer[_diagnostic_pb2.Diagnostic]
    def __init__(self, environment: _Optional[_Union[Environment, _Mapping]] = ..., revision: _Optional[_Union[_revision_pb2.Revision, _Mapping]] = ..., diagnostics: _Optional[_Iterable[_Union[_diagnostic_pb2.Diagnostic, _Mapping]]] = ...) -> None: ...

class DeleteEnvironmentRequest(_message.Message):
    __slots__ = ("org", "project", "environment")
    ORG_FIELD_NUMBER: _ClassVar[int]
    PROJECT_FIELD_NUMBER: _ClassVar[int]
    ENVIRONMENT_FIELD_NUMBER: _ClassVar[int]
    org: str
    project: str
    environment: str
    def __init__(self, org: _Optional[str] = ..., project: _Optional[str] = ..., environment: _Optional[str] = ...) -> None: ...

class DeleteEnvironmentResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ListEnvironmentsRequest(_message.Message):
    __slots__ = ("org", "project", "tag_filter", "page_size", "page_token")
    class TagFilterEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    ORG_FIELD_NUMBER: _ClassVar[int]
    PROJECT_FIELD_NUMBER: _ClassVar[int]
    TAG_FILTER_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    org: str
    project: str
    tag_filter: _containers.ScalarMap[str, str]
    page_size: int
    page_token: str
    def __init__(self, org: _Optional[str] = ..., project: _Optional[str] = ..., tag_filter: _Optional[_Mapping[str, str]] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListEnvironmentsResponse(_message.Message):
    __slots__ = ("environments", "next_page_token")
    ENVIRONMENTS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    environments: _containers.RepeatedCompositeFieldContainer[Environment]
    next_page_token: str
    def __init__(self, environments: _Optional[_Iterable[_Union[Environment, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class CloneEnvironmentRequest(_message.Message):
    __slots__ = ("org", "project", "environment", "dest_project", "dest_environment", "preserve_history", "preserve_revision_tags", "preserve_environment_tags", "preserve_access")
    ORG_FIELD_NUMBER: _ClassVar[int]
    PROJECT_FIELD_NUMBER: _ClassVar[int]
    ENVIRONMENT_FIELD_NUMBER: _ClassVar[int]
    DEST_PROJECT_FIELD_NUMBER: _ClassVar[int]
    DEST_ENVIRONMENT_FIELD_NUMBER: _ClassVar[int]
    PRESERVE_HISTORY_FIELD_NUMBER: _ClassVar[int]
    PRESERVE_REVISION_TAGS_FIELD_NUMBER: _ClassVar[int]
    PRESERVE_ENVIRONMENT_TAGS_FIELD_NUMBER: _ClassVar[int]
    PRESERVE_ACCESS_FIELD_NUMBER: _ClassVar[int]
    org: str
    project: str
    environment: str
    dest_project: str
    dest_environment: str
    preserve_history: bool
    preserve_revision_tags: bool
    preserve_environment_tags: bool
    preserve_access: bool
    def __init__(self, org: _Optional[str] = ..., project: _Optional[str] = ..., environment: _Optional[str] = ..., dest_project: _Optional[str] = ..., dest_environment: _Optional[str] = ..., preserve_history: bool = ..., preserve_revision_tags: bool = ..., preserve_environment_tags: bool = ..., preserve_access: bool = ...) -> None: ...

class CloneEnvironmentResponse(_message.Message):
    __slots__ = ("environment",)
    ENVIRONMENT_FIELD_NUMBER: _ClassVar[int]
    environment: Environment
    def __init__(self, environment: _Optional[_Union[Environment, _Mapping]] = ...) -> None: ...

class GetEnvironmentSettingsRequest(_message.Message):
    __slots__ = ("org", "project", "environment")
    ORG_FIELD_NUMBER: _ClassVar[int]
    PROJECT_FIELD_NUMBER: _ClassVar[int]
    ENVIRONMENT_FIELD_NUMBER: _ClassVar[int]
    org: str
    project: str
    environment: str
    def __init__(self, org: _Optional[str] = ..., project: _Optional[str] = ..., environment: _Optional[str] = ...) -> None: ...

class GetEnvironmentSettingsResponse(_message.Message):
    __slots__ = ("settings",)
    SETTINGS_FIELD_NUMBER: _ClassVar[int]
    settings: EnvironmentSettings
    def __init__(self, settings: _Optional[_Union[EnvironmentSettings, _Mapping]] = ...) -> None: ...

class UpdateEnvironmentSettingsRequest(_message.Message):
    __slots__ = ("org", "project", "environment", "deletion_protected")
    ORG_FIELD_NUMBER: _ClassVar[int]
    PROJECT_FIELD_NUMBER: _ClassVar[int]
    ENVIRONMENT_FIELD_NUMBER: _ClassVar[int]
    DELETION_PROTECTED_FIELD_NUMBER: _ClassVar[int]
    org: str
    project: str
    environment: str
    deletion_protected: bool
    def __init__(self, org: _Optional[str] = ..., project: _Optional[str] = ..., environment: _Optional[str] = ..., deletion_protected: bool = ...) -> None: ...

class UpdateEnvironmentSettingsResponse(_message.Message):
    __slots__ = ("settings",)
    SETTINGS_FIELD_NUMBER: _ClassVar[int]
    settings: EnvironmentSettings
    def __init__(self, settings: _Optional[_Union[EnvironmentSettings, _Mapping]] = ...) -> None: ...

class CheckEnvironmentRequest(_message.Message):
    __slots__ = ("org", "project", "environment", "version", "definition", "reveal")
    ORG_FIELD_NUMBER: _ClassVar[int]
    PROJECT_FIELD_NUMBER: _ClassVar[int]
    ENVIRONMENT_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    DEFINITION_FIELD_NUMBER: _ClassVar[int]
    REVEAL_FIELD_NUMBER: _ClassVar[int]
    org: str
    project: str
    environment: str
    version: str
    definition: str
    reveal: bool
    def __init__(self, org: _Optional[str] = ..., project: _Optional[str] = ..., environment: _Optional[str] = ..., version: _Optional[str] = ..., definition: _Optional[str] = ..., reveal: bool = ...) -> None: ...

class CheckEnvironmentResponse(_message.Message):
    __slots__ = ("diagnostics", "value", "value_json")
    DIAGNOSTICS_FIELD_NUMBER: _ClassVar[int]
    VALUE_FIELD_NUMBER: _ClassVar[int]
    VALUE_JSON_FIELD_NUMBER: _ClassVar[int]
    diagnostics: _containers.RepeatedCompositeFieldContainer[_diagnostic_pb2.Diagnostic]
    value: _value_pb2.Value
    value_json: str
    def __init__(self, diagnostics: _Optional[_Iterable[_Union[_diagnostic_pb2.Diagnostic, _Mapping]]] = ..., value: _Optional[_Union[_value_pb2.Value, _Mapping]] = ..., value_json: _Optional[str] = ...) -> None: ...
