// Usage: node audit.mjs http://127.0.0.1:PORT/graphql
// Prints one JSON line per audit: {"id", "name", "status", "reason"}.
import { auditServer } from "graphql-http";

const url = process.argv[2];
const results = await auditServer({ url });
for (const result of results) {
  const reason = result.status === "ok" ? null : result.reason;
  console.log(JSON.stringify({ id: result.id, name: result.name, status: result.status, reason }));
}
