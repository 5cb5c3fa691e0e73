import datetime

from google.protobuf import duration_pb2 as _duration_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from openesc.v1 import diagnostic_pb2 as _diagnostic_pb2
from openesc.v1 import value_pb2 as _value_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class OpenEnvironmentRequest(_message.Message):
    __slots__ = ("org", "project", "environment", "version", "duration")
    ORG_FIELD_NUMBER: _ClassVar[int]
    PROJECT_FIELD_NUMBER: _ClassVar[int]
    ENVIRONMENT_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    DURATION_FIELD_NUMBER: _ClassVar[int]
    org: str
    project: str
    environment: str
    version: str
    duration: _duration_pb2.Duration
    def __init__(self, org: _Optional[str] = ..., project: _Optional[str] = ..., environment: _Optional[str] = ..., version: _Optional[str] = ..., duration: _Optional[_Union[datetime.timedelta, _duration_pb2.Duration, _Mapping]] = ...) -> None: ...

class OpenEnvironmentResponse(_message.Message):
    __slots__ = ("session_id", "expire_time", "diagnostics", "revision")
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    EXPIRE_TIME_FIELD_NUMBER: _ClassVar[int]
    DIAGNOSTICS_FIELD_NUMBER: _ClassVar[int]
    REVISION_FIELD_NUMBER: _ClassVar[int]
    session_id: str
    expire_time: _timestamp_pb2.Timestamp
    diagnostics: _containers.RepeatedCompositeFieldContainer[_diagnostic_pb2.Diagnostic]
    revision: int
    def __init__(self, session_id: _Optional[str] = ..., expire_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., diagnostics: _Optional[_Iterable[_Union[_diagnostic_pb2.Diagnostic, _Mapping]]] = ..., revision: _Optional[int] = ...) -> None: ...

class ReadOpenEnvironmentRequest(_message.Message):
    __slots__ = ("org", "project", "environment", "session_id", "path")
    ORG_FIELD_NUMBER: _ClassVar[int]
    PROJECT_FIELD_NUMBER: _ClassVar[int]
    ENVIRONMENT_FIELD_NUMBER: _ClassVar[int]
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    PATH_FIELD_NUMBER: _ClassVar[int]
    org: str
    project: str
    environment: str
    session_id: str
    path: str
    def __init__(self, org: _Optional[str] = ..., project: _Optional[str] = ..., environment: _Optional[str] = ..., session_id: _Optional[str] = ..., path: _Optional[str] = ...) -> None: ...

class ReadOpenEnvironmentResponse(_message.Message):
    __slots__ = ("value", "value_json")
    VALUE_FIELD_NUMBER: _ClassVar[int]
    VALUE_JSON_FIELD_NUMBER: _ClassVar[int]
    value: _value_pb2.Value
    value_json: str
    def __init__(self, value: _Optional[_Union[_value_pb2.Value, _Mapping]] = ..., value_json: _Optional[str] = ...) -> None: ...

class ResolveEnvironmentRequest(_message.Message):
    __slots__ = ("org", "project", "environment", "version")
    ORG_FIELD_NUMBER: _ClassVar[int]
    PROJECT_FIELD_NUMBER: _ClassVar[int]
    ENVIRONMENT_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    org: str
    project: str
    environment: str
    version: str
    def __init__(self, org: _Optional[str] = ..., project: _Optional[str] = ..., environment: _Optional[str] = ..., version: _Optional[str] = ...) -> None: ...

class ProjectedValue(_message.Message):
    __slots__ = ("value", "secret")
    VALUE_FIELD_NUMBER: _ClassVar[int]
    SECRET_FIELD_NUMBER: _ClassVar[int]
    value: str
    secret: bool
    def __init__(self, value: _Optional[str] = ..., secret: bool = ...) -> None: ...

class ResolveEnvironmentResponse(_message.Message):
    __slots__ = ("value", "value_json", "environment_variables", "files", "pulumi_config", "diagnostics", "revision")
    class EnvironmentVariablesEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: ProjectedValue
        def __init__(self, key: _Optional[str] = ..., value: _Optional[_Union[ProjectedValue, _Mapping]] = ...) -> None: ...
    class FilesEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: ProjectedValue
        def __init__(self, key: _Optional[str] = ..., value: _Optional[_Union[ProjectedValue, _Mapping]] = ...) -> None: ...
    VALUE_FIELD_NUMBER: _ClassVar[int]
    VALUE_JSON_FIELD_NUMBER: _ClassVar[int]
    ENVIRONMENT_VARIABLES_FIELD_NUMBER: _ClassVar[int]
    FILES_FIELD_NUMBER: _ClassVar[int]
    PULUMI_CONFIG_FIELD_NUMBER: _ClassVar[int]
    DIAGNOSTICS_FIELD_NUMBER: _ClassVar[int]
    REVISION_FIELD_NUMBER: _ClassVar[int]
    value: _value_pb2.Value
    value_json: str
    environment_variables: _containers.MessageMap[str, ProjectedValue]
    files: _containers.MessageMap[str, ProjectedValue]
    pulumi_config: _value_pb2.Value
    diagnostics: _containers.RepeatedCompositeFieldContainer[_diagnostic_pb2.Diagnostic]
    revision: int
    def __init__(self, value: _Optional[_Union[_value_pb2.Value, _Mapping]] = ..., value_json: _Optional[str] = ..., environment_variables: _Optional[_Mapping[str, ProjectedValue]] = ..., files: _Optional[_Mapping[str, ProjectedValue]] = ..., pulumi_config: _Optional[_Union[_value_pb2.Value, _Mapping]] = ..., diagnostics: _Optional[_Iterable[_Union[_diagnostic_pb2.Diagnostic, _Mapping]]] = ..., revision: _Optional[int] = ...) -> None: ...

class ResolveAnonymousEnvironmentRequest(_message.Message):
    __slots__ = ("org", "definition")
    ORG_FIELD_NUMBER: _ClassVar[int]
    DEFINITION_FIELD_NUMBER: _ClassVar[int]
    org: str
    definition: str
    def __init__(self, org: _Optional[str] = ..., definition: _Optional[str] = ...) -> None: ...

class ResolveAnonymousEnvironmentResponse(_message.Message):
    __slots__ = ("value", "value_json", "environment_variables", "files", "pulumi_config", "diagnostics")
    class EnvironmentVariablesEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: ProjectedValue
        def __init__(self, key: _Optional[str] = ..., value: _Optional[_Union[ProjectedValue, _Mapping]] = ...) -> None: ...
    class FilesEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: ProjectedValue
        def __init__(self, key: _Optional[str] = ..., value: _Optional[_Union[ProjectedValue, _Mapping]] = ...) -> None: ...
    VALUE_FIELD_NUMBER: _ClassVar[int]
    VALUE_JSON_FIELD_NUMBER: _ClassVar[int]
    ENVIRONMENT_VARIABLES_FIELD_NUMBER: _ClassVar[int]
    FILES_FIELD_NUMBER: _ClassVar[int]
    PULUMI_CONFIG_FIELD_NUMBER: _ClassVar[int]
    DIAGNOSTICS_FIELD_NUMBER: _ClassVar[int]
    value: _value_pb2.Value
    value_json: str
    environment_variables: _containers.MessageMap[str, ProjectedValue]
    files: _containers.MessageMap[str, ProjectedValue]
    pulumi_config: _value_pb2.Value
    diagnostics: _containers.RepeatedCompositeFieldContainer[_diagnostic_pb2.Diagnostic]
    def __init__(self, value: _Optional[_Union[_value_pb2.Value, _Mapping]] = ..., value_json: _Optional[str] = ..., environment_variables: _Optional[_Mapping[str, ProjectedValue]] = ..., files: _Optional[_Mapping[str, ProjectedValue]] = ..., pulumi_config: _Optional[_Union[_value_pb2.Value, _Mapping]] = ..., diagnostics: _Optional[_Iterable[_Union[_diagnostic_pb2.Diagnostic, _Mapping]]] = ...) -> None: ...
