export { createRateLimiter } from "./rate-limiter.js";
export type { Admission, Grant, Rate, RateLimiter, RateLimiterOptions, TokenBuckets } from "./rate-limiter.js";
export { createLeasedBuckets, leaseChunk } from "./leased-buckets.js";
export type { LeaseChannel, LeasedBuckets, LeasedBucketsOptions } from "./leased-buckets.js";
export { createCallLimiter, peerAddress } from "./call-limiter.js";
export type { CallLimiter, CallLimiterOptions, LimitScope } from "./call-limiter.js";
export { DEFAULT_LIMITS, resolveLimits } from "./limits-config.js";
export type { LimitFlags, ServerLimits } from "./limits-config.js";
