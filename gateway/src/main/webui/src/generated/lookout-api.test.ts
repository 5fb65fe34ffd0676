// The generated API types are what `npm run gen:api` makes of the committed OpenAPI snapshot: regenerate, never edit.
import { describe, expect, it } from 'vitest';
import openapiTS, { astToString } from 'openapi-typescript';

const files = import.meta.glob<string>(['../../openapi/lookout-api.json', './lookout-api.ts'],
  { query: '?raw', import: 'default', eager: true });

/** The file less openapi-typescript's banner comment, which the command line adds and the library does not. */
function body(text: string): string {
  return text.replace(/^\/\*\*[\s\S]*?\*\/\s*/, '').trim();
}

describe('generated API types', () => {
  it('match the OpenAPI snapshot (else run `npm run gen:api`)', async () => {
    const snapshot = files['../../openapi/lookout-api.json'];
    const generated = files['./lookout-api.ts'];
    expect(snapshot.length).toBeGreaterThan(1000);
    const fresh = astToString(await openapiTS(JSON.parse(snapshot)));
    expect(body(generated)).toBe(body(fresh));
  });
});
