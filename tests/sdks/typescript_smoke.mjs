// The TypeScript SDK (sdks/typescript/dist) against a live server, run by node from
// tests/sdks/test_typescript_sdk.py. `node typescript_smoke.mjs calls` makes the calls and prints JSON;
// `node typescript_smoke.mjs verify <file>` verifies the webhook saved in <file>; `retries` checks the retries.
import { readFileSync } from "node:fs";

import {
  API_VERSION,
  WebhookVerificationError,
  createCauseway,
  newIdempotencyKey,
  paginate,
  retryingFetch,
  verifyWebhook,
} from "../../sdks/typescript/dist/index.js";

const env = process.env;
const [mode, file] = process.argv.slice(2);

async function calls() {
  const causeway = createCauseway({ apiKey: env.CAUSEWAY_API_KEY, baseUrl: env.CAUSEWAY_BASE_URL });
  const body = { type: "p2p", source: env.PAYER, destination: env.PAYEE, amount: 1250, currency: "USD" };
  const key = newIdempotencyKey();
  const first = await causeway.POST("/v1/transfers", { body, params: { header: { "Idempotency-Key": key } } });
  const again = await causeway.POST("/v1/transfers", { body, params: { header: { "Idempotency-Key": key } } });
  for (const amount of [100, 200, 300]) {
    const made = await causeway.POST("/v1/transfers", {
      body: { ...body, amount },
      params: { header: { "Idempotency-Key": newIdempotencyKey() } },
    });
    if (!made.data) throw new Error(JSON.stringify(made.error));
  }
  const paged = [];
  for await (const txn of paginate((startingAfter) =>
    causeway.GET("/v1/wallets/{wallet_id}/transactions", {
      params: { path: { wallet_id: env.PAYER }, query: { limit: 2, starting_after: startingAfter } },
    }),
  )) {
    paged.push(txn.id);
  }
  const whole = await causeway.GET("/v1/wallets/{wallet_id}/transactions", {
    params: { path: { wallet_id: env.PAYER }, query: { limit: 100 } },
  });
  const endpoint = await causeway.POST("/v1/webhook_endpoints", {
    body: { url: env.RECEIVER_URL, enabled_events: ["*"] },
  });
  const fired = await causeway.POST("/v1/sandbox/webhooks/fire", { body: { type: "transfer.failed" } });
  const unknown = await causeway.GET("/v1/events", { headers: { "Causeway-Version": "1999-01-01" } });
  console.log(
    JSON.stringify({
      transfer: first.data,
      replayed: again.response.headers.get("Idempotent-Replayed"),
      replayedId: again.data?.id,
      version: first.response.headers.get("Causeway-Version"),
      sdkVersion: API_VERSION,
      paged,
      whole: whole.data.data.map((t) => t.id),
      secret: endpoint.data.secret,
      event: fired.data.id,
      unknown: { status: unknown.response.status, code: unknown.error?.code },
    }),
  );
}

function verify() {
  const saved = JSON.parse(readFileSync(file, "utf8"));
  const event = verifyWebhook(saved.body, saved.headers, saved.secret);
  let tampered = "accepted";
  try {
    verifyWebhook(saved.body + " ", saved.headers, saved.secret);
  } catch (error) {
    tampered = error instanceof WebhookVerificationError ? "refused" : String(error);
  }
  console.log(JSON.stringify({ id: event.id, type: event.type, tampered }));
}

async function retries() {
  const seen = [];
  const fake = async (request) => {
    seen.push({ key: request.headers.get("Idempotency-Key"), body: await request.text() });
    if (seen.length === 1) return new Response("{}", { status: 503 });
    if (seen.length === 2) throw new TypeError("fetch failed");
    return new Response('{"ok":true}', { status: 201 });
  };
  const fetchWithRetries = retryingFetch({ maxRetries: 3, fetch: fake, sleep: async () => {} });
  const response = await fetchWithRetries("http://api.test/v1/sandbox/deposits", {
    method: "POST",
    body: '{"amount":1}',
  });
  console.log(JSON.stringify({ status: response.status, keys: seen.map((s) => s.key), bodies: seen.map((s) => s.body) }));
}

await { calls, verify, retries }[mode]();
