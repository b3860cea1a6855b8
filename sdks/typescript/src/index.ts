// The Causeway TypeScript SDK: openapi-fetch over the types generated from docs/openapi.yaml
// (src/generated/schema.ts), with retries that reuse one Idempotency-Key, paging and webhook verification.
import createClient, { type Client } from "openapi-fetch";

import type { components, operations, paths } from "./generated/schema.js";
import { API_VERSION, SDK_VERSION } from "./generated/version.js";

export type { components, operations, paths };
export { API_VERSION, SDK_VERSION };
export { signWebhook, verifyWebhook, WebhookVerificationError } from "./webhooks.js";

export type Schemas = components["schemas"];
export type CausewayClient = Client<paths>;

export interface CausewayOptions {
  /** A secret key (cw_sk_sandbox_... / cw_sk_live_...) or an OAuth access token. */
  apiKey: string;
  /** The server you run, e.g. http://127.0.0.1:8000. */
  baseUrl?: string;
  /** Retries after a network error, 409 idempotency_key_in_use, 429 or 5xx (default 2). */
  maxRetries?: number;
  /** Sent as Causeway-Version; by default the version these types describe. */
  apiVersion?: string;
  /** For tests: the fetch to call (default the global fetch). */
  fetch?: typeof fetch;
  /** For tests: how to wait between retries. */
  sleep?: (ms: number) => Promise<void>;
}

const RETRY_STATUSES = new Set([409, 429, 500, 502, 503, 504]);
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS", "DELETE"]);

/** A fresh Idempotency-Key: one per logical operation, reused by every retry of it. */
export function newIdempotencyKey(): string {
  return crypto.randomUUID();
}

/** A fetch that retries as the SDK promises: a POST without an Idempotency-Key gets one here, once, and every
 * retry sends the same key, so the API runs the operation at most once. */
export function retryingFetch(options: Pick<CausewayOptions, "maxRetries" | "fetch" | "sleep"> = {}): typeof fetch {
  const maxRetries = options.maxRetries ?? 2;
  const inner = options.fetch ?? globalThis.fetch;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  return async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const original = new Request(input, init);
    if (original.method === "POST" && !original.headers.has("Idempotency-Key")) {
      original.headers.set("Idempotency-Key", newIdempotencyKey());
    }
    const retryable = SAFE_METHODS.has(original.method) || original.headers.has("Idempotency-Key");
    for (let attempt = 0; ; attempt++) {
      let response: Response | undefined;
      try {
        response = await inner(original.clone());
      } catch (error) {
        if (!retryable || attempt >= maxRetries) throw error;
      }
      if (response && (!retryable || attempt >= maxRetries || !RETRY_STATUSES.has(response.status))) {
        return response;
      }
      const retryAfter = Number(response?.headers.get("Retry-After"));
      await response?.body?.cancel();
      const backoff = Math.min(500 * 2 ** attempt, 8000) * (0.5 + Math.random() / 2);
      await sleep(Number.isFinite(retryAfter) && retryAfter > 0 ? Math.min(retryAfter * 1000, 8000) : backoff);
    }
  };
}

/** A typed client: `causeway.POST("/v1/transfers", { body, params: { header: { "Idempotency-Key": ... } } })`. */
export function createCauseway(options: CausewayOptions): CausewayClient {
  return createClient<paths>({
    baseUrl: (options.baseUrl ?? "http://127.0.0.1:8000").replace(/\/$/, ""),
    headers: {
      Authorization: `Bearer ${options.apiKey}`,
      "Causeway-Version": options.apiVersion ?? API_VERSION,
      "User-Agent": `causeway-typescript/${SDK_VERSION}`,
    },
    fetch: retryingFetch(options),
  });
}

export interface Page<T> {
  data: T[];
  has_more: boolean;
  next_cursor?: string | null;
}

/** Every item of a list operation, page after page:
 * `for await (const txn of paginate((startingAfter) => causeway.GET("/v1/wallets/{wallet_id}/transactions",
 *   { params: { path: { wallet_id }, query: { limit: 100, starting_after: startingAfter } } })))`. */
export async function* paginate<T>(
  fetchPage: (startingAfter: string | undefined) => Promise<{ data?: Page<T>; error?: unknown }>,
): AsyncGenerator<T> {
  let startingAfter: string | undefined;
  for (;;) {
    const { data, error } = await fetchPage(startingAfter);
    if (!data) throw new CausewayError(error);
    yield* data.data;
    if (!data.has_more || !data.next_cursor) return;
    startingAfter = data.next_cursor;
  }
}

/** A problem (application/problem+json) answered where a result was expected. */
export class CausewayError extends Error {
  readonly problem: unknown;
  constructor(problem: unknown) {
    const p = problem as { code?: string; detail?: string } | undefined;
    super(p?.code ? `${p.code}: ${p.detail ?? ""}` : "Causeway API error");
    this.problem = problem;
  }
}
