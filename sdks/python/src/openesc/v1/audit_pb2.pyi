import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class AuditEvent(_message.Message):
    __slots__ = ("chain", "sequence", "time", "actor", "actor_id", "token_id", "source_address", "user_agent", "action", "org", "project", "environment", "revision", "provider_calls", "outcome", "request_id", "prev_hash", "hash")
    CHAIN_FIELD_NUMBER: _ClassVar[int]
    SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    TIME_FIELD_NUMBER: _ClassVar[int]
    ACTOR_FIELD_NUMBER: _ClassVar[int]
    ACTOR_ID_FIELD_NUMBER: _ClassVar[int]
    TOKEN_ID_FIELD_NUMBER: _ClassVar[int]
    SOURCE_ADDRESS_FIELD_NUMBER: _ClassVar[int]
    USER_AGENT_FIELD_NUMBER: _ClassVar[int]
    ACTION_FIELD_NUMBER: _ClassVar[int]
    ORG_FIELD_NUMBER: _ClassVar[int]
    PROJECT_FIELD_NUMBER: _ClassVar[int]
    ENVIRONMENT_FIELD_NUMBER: _ClassVar[int]
    REVISION_FIELD_NUMBER: _ClassVar[int]
    PROVIDER_CALLS_FIELD_NUMBER: _ClassVar[int]
    OUTCOME_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    PREV_HASH_FIELD_NUMBER: _ClassVar[int]
    HASH_FIELD_NUMBER: _ClassVar[int]
    chain: str
    sequence: int
    time: _timestamp_pb2.Timestamp
    actor: str
    actor_id: str
    token_id: str
    source_address: str
    user_agent: str
    action: str
    org: str
    project: str
    environment: str
    revision: int
    provider_calls: _containers.RepeatedCompositeFieldContainer[AuditProviderCall]
    outcome: str
    request_id: str
    prev_hash: str
    hash: str
    def __init__(self, chain: _Optional[str] = ..., sequence: _Optional[int] = ..., time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., actor: _Optional[str] = ..., actor_id: _Optional[str] = ..., token_id: _Optional[str] = ..., source_address: _Optional[str] = ..., user_agent: _Optional[str] = ..., action: _Optional[str] = ..., org: _Optional[str] = ..., project: _Optional[str] = ..., environment: _Optional[str] = ..., revision: _Optional[int] = ..., provider_calls: _Optional[_Iterable[_Union[AuditProviderCall, _Mapping]]] = ..., outcome: _Optional[str] = ..., request_id: _Optional[str] = ..., prev_hash: _Optional[str] = ..., hash: _Optional[str] = ...) -> None: ...

class AuditProviderCall(_message.Message):
    __slots__ = ("provider", "path", "duration_ms", "outcome")
    PROVIDER_FIELD_NUMBER: _ClassVar[int]
    PATH_FIELD_NUMBER: _ClassVar[int]
    DURATION_MS_FIELD_NUMBER: _ClassVar[int]
    OUTCOME_FIELD_NUMBER: _ClassVar[int]
    provider: str
    path: str
    duration_ms: float
    outcome: str
    def __init__(self, provider: _Optional[str] = ..., path: _Optional[str] = ..., duration_ms: _Optional[float] = ..., outcome: _Optional[str] = ...) -> None: ...

class AuditEventFilter(_message.Message):
    __slots__ = ("start_time", "end_time", "actor", "project", "environment", "action", "outcome")
    START_TIME_FIELD_NUMBER: _ClassVar[int]
    END_TIME_FIELD_NUMBER: _ClassVar[int]
    ACTOR_FIELD_NUMBER: _ClassVar[int]
    PROJECT_FIELD_NUMBER: _ClassVar[int]
    ENVIRONMENT_FIELD_NUMBER: _ClassVar[int]
    ACTION_FIELD_NUMBER: _ClassVar[int]
    OUTCOME_FIELD_NUMBER: _ClassVar[int]
    start_time: _timestamp_pb2.Timestamp
    end_time: _timestamp_pb2.Timestamp
    actor: str
    project: str
    environment: str
    action: str
    outcome: str
    def __init__(self, start_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., end_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., actor: _Optional[str] = ..., project: _Optional[str] = ..., environment: _Optional[str] = ..., action: _Optional[str] = ..., outcome: _Optional[str] = ...) -> None: ...

class ListAuditEventsRequest(_message.Message):
    __slots__ = ("org", "filter", "page_size", "page_token")
    ORG_FIELD_NUMBER: _ClassVar[int]
    FILTER_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    org: str
    filter: AuditEventFilter
    page_size: int
    page_token: str
    def __init__(self, org: _Optional[str] = ..., filter: _Optional[_Union[AuditEventFilter, _Mapping]] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListAuditEventsResponse(_message.Message):
    __slots__ = ("events", "next_page_token")
    EVENTS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    events: _containers.RepeatedCompositeFieldContainer[AuditEvent]
    next_page_token: str
    def __init__(self, events: _Optional[_Iterable[_Union[AuditEvent, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class VerifyAuditLogRequest(_message.Message):
    __slots__ = ("org", "after_sequence", "after_hash")
    ORG_FIELD_NUMBER: _ClassVar[int]
    AFTER_SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    AFTER_HASH_FIELD_NUMBER: _ClassVar[int]
    org: str
    after_sequence: int
    after_hash: str
    def __init__(self, org: _Optional[str] = ..., after_sequence: _Optional[int] = ..., after_hash: _Optional[str] = ...) -> None: ...

class VerifyAuditLogResponse(_message.Message):
    __slots__ = ("ok", "events_checked", "last_sequence", "last_hash", "first_broken_sequence", "reason")
    OK_FIELD_NUMBER: _ClassVar[int]
    EVENTS_CHECKED_FIELD_NUMBER: _ClassVar[int]
    LAST_SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    LAST_HASH_FIELD_NUMBER: _ClassVar[int]
    FIRST_BROKEN_SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    ok: bool
    events_checked: int
    last_sequence: int
    last_hash: str
    first_broken_sequence: int
    reason: str
    def __init__(self, ok: bool = ..., events_checked: _Optional[int] = ..., last_sequence: _Optional[int] = ..., last_hash: _Optional[str] = ..., first_broken_sequence: _Optional[int] = ..., reason: _Optional[str] = ...) -> None: ...

class ExportAuditEventsRequest(_message.Message):
    __slots__ = ("org", "filter")
    ORG_FIELD_NUMBER: _ClassVar[int]
    FILTER_FIELD_NUMBER: _ClassVar[int]
    org: str
    filter: AuditEventFilter
    def __init__(self, org: _Optional[str] = ..., filter: _Optional[_Union[AuditEventFilter, _Mapping]] = ...) -> None: ...

class ExportAuditEventsResponse(_message.Message):
    __slots__ = ("ndjson",)
    NDJSON_FIELD_NUMBER: _ClassVar[int]
    ndjson: bytes
    def __init__(self, ndjson: _Optional[bytes] = ...) -> None: ...
