// openapi-to-postmanv2 with a seeded Math.random: its schema faker picks enum values and map sizes at random, and
// a seeded generator makes the collection depend on the schema only (so CI can check it is not stale).
// Usage: node sdks/postman.cjs <openapi.yaml> <out.json>
"use strict";
const fs = require("node:fs");

let state = 0x5eed;
Math.random = function seeded() {
  // mulberry32
  state = (state + 0x6d2b79f5) | 0;
  let t = Math.imul(state ^ (state >>> 15), 1 | state);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

const Converter = require("openapi-to-postmanv2");
const [source, target] = process.argv.slice(2);
Converter.convert(
  { type: "string", data: fs.readFileSync(source, "utf8") },
  { folderStrategy: "Tags", parametersResolution: "Schema", enableOptionalParameters: false },
  (error, result) => {
    if (error || !result.result) {
      console.error(error || result.reason);
      process.exit(1);
    }
    fs.writeFileSync(target, JSON.stringify(result.output[0].data));
  },
);
