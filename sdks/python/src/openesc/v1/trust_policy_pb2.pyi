import datetime

from google.protobuf import duration_pb2 as _duration_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from openesc.v1 import token_pb2 as _token_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class TrustPolicy(_message.Message):
    __slots__ = ("org", "name", "issuer", "audience", "subject_pattern", "claim_conditions", "identity", "max_lifetime", "scope", "create_time")
    class ClaimConditionsEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    ORG_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    ISSUER_FIELD_NUMBER: _ClassVar[int]
    AUDIENCE_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_PATTERN_FIELD_NUMBER: _ClassVar[int]
    CLAIM_CONDITIONS_FIELD_NUMBER: _ClassVar[int]
    IDENTITY_FIELD_NUMBER: _ClassVar[int]
    MAX_LIFETIME_FIELD_NUMBER: _ClassVar[int]
    SCOPE_FIELD_NUMBER: _ClassVar[int]
    CREATE_TIME_FIELD_NUMBER: _ClassVar[int]
    org: str
    name: str
    issuer: str
    audience: str
    subject_pattern: str
    claim_conditions: _containers.ScalarMap[str, str]
    identity: str
    max_lifetime: _duration_pb2.Duration
    scope: _token_pb2.TokenScope
    create_time: _timestamp_pb2.Timestamp
    def __init__(self, org: _Optional[str] = ..., name: _Optional[str] = ..., issuer: _Optional[str] = ..., audience: _Optional[str] = ..., subject_pattern: _Optional[str] = ..., claim_conditions: _Optional[_Mapping[str, str]] = ..., identity: _Optional[str] = ..., max_lifetime: _Optional[_Union[datetime.timedelta, _duration_pb2.Duration, _Mapping]] = ..., scope: _Optional[_Union[_token_pb2.TokenScope, _Mapping]] = ..., create_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class CreateTrustPolicyRequest(_message.Message):
    __slots__ = ("policy",)
    POLICY_FIELD_NUMBER: _ClassVar[int]
    policy: TrustPolicy
    def __init__(self, policy: _Optional[_Union[TrustPolicy, _Mapping]] = ...) -> None: ...

class CreateTrustPolicyResponse(_message.Message):
    __slots__ = ("policy",)
    POLICY_FIELD_NUMBER: _ClassVar[int]
    policy: TrustPolicy
    def __init__(self, policy: _Optional[_Union[TrustPolicy, _Mapping]] = ...) -> None: ...

class ListTrustPoliciesRequest(_message.Message):
    __slots__ = ("org",)
    ORG_FIELD_NUMBER: _ClassVar[int]
    org: str
    def __init__(self, org: _Optional[str] = ...) -> None: ...

class ListTrustPoliciesResponse(_message.Message):
    __slots__ = ("policies",)
    POLICIES_FIELD_NUMBER: _ClassVar[int]
    policies: _containers.RepeatedCompositeFieldContainer[TrustPolicy]
    def __init__(self, policies: _Optional[_Iterable[_Union[TrustPolicy, _Mapping]]] = ...) -> None: ...

class DeleteTrustPolicyRequest(_message.Message):
    __slots__ = ("org", "name")
    ORG_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    org: str
    name: str
    def __init__(self, org: _Optional[str] = ..., name: _Optional[str] = ...) -> None: ...

class DeleteTrustPolicyResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ExchangeTokenRequest(_message.Message):
    __slots__ = ("org", "oidc_token", "policy", "lifetime")
    ORG_FIELD_NUMBER: _ClassVar[int]
    OIDC_TOKEN_FIELD_NUMBER: _ClassVar[int]
    POLICY_FIELD_NUMBER: _ClassVar[int]
    LIFETIME_FIELD_NUMBER: _ClassVar[int]
    org: str
    oidc_token: str
    policy: str
    lifetime: _duration_pb2.Duration
    def __init__(self, org: _Optional[str] = ..., oidc_token: _Optional[str] = ..., policy: _Optional[str] = ..., lifetime: _Optional[_Union[datetime.timedelta, _duration_pb2.Duration, _Mapping]] = ...) -> None: ...

class ExchangeTokenResponse(_message.Message):
    __slots__ = ("token", "secret", "policy")
    TOKEN_FIELD_NUMBER: _ClassVar[int]
    SECRET_FIELD_NUMBER: _ClassVar[int]
    POLICY_FIELD_NUMBER: _ClassVar[int]
    token: _token_pb2.Token
    secret: str
    policy: str
    def __init__(self, token: _Optional[_Union[_token_pb2.Token, _Mapping]] = ..., secret: _Optional[str] = ..., policy: _Optional[str] = ...) -> None: ...
