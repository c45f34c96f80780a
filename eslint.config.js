// ESLint for the review page: browser ES modules loaded as they are (no build step).
// `make lint` runs it; the rules add to eslint's recommended set what the page promises:
// no HTML from strings, no eval, the token in sessionStorage only.
import js from "@eslint/js";
import globals from "globals";

const NO_HTML = "Strings reach the page through textContent or setAttribute (see dom.js), never as HTML.";

export default [
  { ignores: ["node_modules/**", ".venv*/**", "build/**", ".aws-sam/**"] },
  js.configs.recommended,
  {
    files: ["src/factcheck/web/static/**/*.js"],
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: "module",
      globals: { ...globals.browser },
    },
    linterOptions: { reportUnusedDisableDirectives: "error" },
    rules: {
      "no-unused-vars": ["error", { argsIgnorePattern: "^_" }],
      "no-implicit-globals": "error",
      "no-var": "error",
      "prefer-const": "error",
      eqeqeq: ["error", "always"],
      "no-eval": "error",
      "no-implied-eval": "error",
      "no-new-func": "error",
      "no-shadow": "error",
      "no-restricted-properties": [
        "error",
        { property: "innerHTML", message: NO_HTML },
        { property: "outerHTML", message: NO_HTML },
        { property: "insertAdjacentHTML", message: NO_HTML },
        { object: "document", property: "write", message: NO_HTML },
        { object: "document", property: "writeln", message: NO_HTML },
        { property: "localStorage", message: "The token lives in sessionStorage (this tab) only." },
      ],
      "no-restricted-globals": [
        "error",
        { name: "localStorage", message: "The token lives in sessionStorage (this tab) only." },
      ],
      "max-lines": ["error", { max: 400 }],
    },
  },
  {
    files: ["tests/unit/web/**/*.mjs"],
    languageOptions: { sourceType: "module", globals: { ...globals.node } },
  },
  {
    files: ["eslint.config.js"],
    languageOptions: { sourceType: "module", globals: { ...globals.node } },
  },
];
