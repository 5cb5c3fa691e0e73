export { createRateLimiter } from "./rate-limiter.js";
export type { Admission, Rate, RateLimiter, RateLimiterOptions } from "./rate-limiter.js";
export { createCallLimiter, peerAddress } from "./call-limiter.js";
export type { CallLimiter, CallLimiterOptions } from "./call-limiter.js";
export { DEFAULT_LIMITS, resolveLimits } from "./limits-config.js";
export type { LimitFlags, ServerLimits } from "./limits-config.js";
