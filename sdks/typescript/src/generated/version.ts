// Written by sdks/generate.py.
export const SDK_VERSION = "1.0.0";
/** The API version the types describe (sent as Causeway-Version). */
export const API_VERSION = "2026-12-07";
