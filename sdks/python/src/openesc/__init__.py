"""OpenESC Python SDK.

The messages (``*_pb2``) and Connect clients (``*_connect``) generated from the Protobuf contract live
in :mod:`openesc.v1`, for example :mod:`openesc.v1.environment_pb2` and
:mod:`openesc.v1.environment_connect`. They are regenerated with ``npm run generate``.
"""

__version__ = "0.1.0"

__all__ = ["__version__"]
