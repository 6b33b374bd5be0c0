/**
 * Where help texts send users: documents shipped in the package (`files` in package.json includes `docs`), so they
 * exist in every install, unlike this repository's `src/`.
 */
export const CLI_DOC = 'node_modules/kindling/docs/cli.md';
export const FORMAT_DOC = 'node_modules/kindling/docs/checkpoint-format.md';
