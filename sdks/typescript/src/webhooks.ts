// Verifying Causeway webhooks (Standard Webhooks): the signed content is `${webhook-id}.${webhook-timestamp}.${body}`,
// webhook-signature lists `v1,<base64 HMAC-SHA256>` values separated by spaces (several during a secret rotation),
// and the secret is whsec_ + base64. Node's crypto only.
import { createHmac, timingSafeEqual } from "node:crypto";

export class WebhookVerificationError extends Error {}

type HeaderBag = Headers | Record<string, string | string[] | undefined>;

function header(headers: HeaderBag, name: string): string {
  let value: string | string[] | null | undefined;
  if (headers instanceof Headers) {
    value = headers.get(name);
  } else {
    const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
    value = key === undefined ? undefined : headers[key];
  }
  if (Array.isArray(value)) value = value[0];
  if (!value) throw new WebhookVerificationError(`Missing header ${name}.`);
  return value;
}

/** The `v1,...` signature of `payload` under `secret` (for tests of your receiver). */
export function signWebhook(secret: string, msgId: string, timestamp: number, payload: string | Buffer): string {
  const key = Buffer.from(secret.replace(/^whsec_/, ""), "base64");
  const body = typeof payload === "string" ? Buffer.from(payload) : payload;
  const content = Buffer.concat([Buffer.from(`${msgId}.${timestamp}.`), body]);
  return "v1," + createHmac("sha256", key).update(content).digest("base64");
}

/** The event in `payload` (the raw request body, before any JSON parsing) once its signature checks out against
 * `secret` (the endpoint's whsec_...); throws WebhookVerificationError otherwise. */
export function verifyWebhook<T = unknown>(
  payload: string | Buffer,
  headers: HeaderBag,
  secret: string,
  options: { toleranceSeconds?: number; now?: number } = {},
): T {
  const msgId = header(headers, "webhook-id");
  const timestamp = Number(header(headers, "webhook-timestamp"));
  if (!Number.isInteger(timestamp)) throw new WebhookVerificationError("Malformed webhook-timestamp.");
  const now = options.now ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - timestamp) > (options.toleranceSeconds ?? 300)) {
    throw new WebhookVerificationError("Timestamp outside the tolerance: replayed or the clock is wrong.");
  }
  const expected = Buffer.from(signWebhook(secret, msgId, timestamp, payload));
  for (const candidate of header(headers, "webhook-signature").split(" ")) {
    const given = Buffer.from(candidate);
    if (candidate.startsWith("v1,") && given.length === expected.length && timingSafeEqual(given, expected)) {
      return JSON.parse(typeof payload === "string" ? payload : payload.toString("utf8")) as T;
    }
  }
  throw new WebhookVerificationError("No signature matches.");
}
