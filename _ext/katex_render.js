// Typesets TeX with KaTeX at build time, for _ext/static_maths.py. Reads a JSON array of
// {"tex": "...", "display": true|false} from stdin and writes a JSON array of the same length:
// {"html": "..."} (KaTeX's HTML, which carries MathML for screen readers) or {"error": "..."}.
"use strict";

const katex = require("katex");

let input = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => (input += chunk));
process.stdin.on("end", () => {
  const rendered = JSON.parse(input).map(({ tex, display }) => {
    const warnings = [];
    try {
      const html = katex.renderToString(tex, {
        displayMode: display,
        output: "htmlAndMathml",
        throwOnError: true,
        // Anything KaTeX would only warn about (an unknown symbol, a Unicode character it has
        // no font metrics for) is reported, so that the build fails on it like on an error.
        strict: (code, message) => (warnings.push(`${code}: ${message}`), "ignore"),
        trust: false,
      });
      return warnings.length ? { error: warnings.join("; ") } : { html };
    } catch (error) {
      return { error: String(error.message || error) };
    }
  });
  process.stdout.write(JSON.stringify(rendered));
});
