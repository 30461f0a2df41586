// Runs HingeExplorer's maths in Node for tests/test_explorer_js.py: a JSON list of calls on
// stdin, [{"fn": "trainLinear", "args": {...}}, ...] ("step" takes args.state too; a list of args is spread), and a JSON
// list of their results on stdout.
"use strict";
const path = require("path");
const HingeExplorer = require(path.join(__dirname, "..", "..", "_ext", "hinge_explorer.js"));

let input = "";
process.stdin.on("data", (chunk) => (input += chunk));
process.stdin.on("end", () => {
  const results = JSON.parse(input).map((call) =>
    call.fn === "step"
      ? HingeExplorer.step(call.args.state, call.args)
      : Array.isArray(call.args) // trainingLoss(loss, m, delta) and the like
        ? HingeExplorer[call.fn](...call.args)
        : HingeExplorer[call.fn](call.args));
  process.stdout.write(JSON.stringify(results, (key, value) =>
    ArrayBuffer.isView(value) ? Array.from(value) : value));
});
