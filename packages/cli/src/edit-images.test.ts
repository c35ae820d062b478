import { describe, expect, it } from 'vitest';
import { setImages } from './edit-images.js';

const edit = (source: string, versions: Record<string, string>) => setImages(source, 'environments/e.ts', new Map(Object.entries(versions)));

describe('setImages', () => {
  it('replaces a version in place and adds a missing service on its own line, keeping comments and commas', () => {
    const source = `import { defineEnvironment } from '@kiln/model';
export default defineEnvironment({
  name: 'e',
  images: {
    // the gateway ships with the API
    api: '1.0.0',
    'web-ui': "2.0.0",
  },
});
`;
    expect(edit(source, { api: '1.1.0', worker: '3.0.0' })).toEqual({
      text: `import { defineEnvironment } from '@kiln/model';
export default defineEnvironment({
  name: 'e',
  images: {
    // the gateway ships with the API
    api: '1.1.0',
    'web-ui': "2.0.0",
    worker: '3.0.0',
  },
});
`,
    });
  });

  it('adds images to an environment that has none, after its last property', () => {
    const source = `export default defineEnvironment({\n  name: 'e',\n  follows: 'd'\n});\n`;
    expect(edit(source, { 'bitquan-node': '0.7.0' })).toEqual({ text: `export default defineEnvironment({\n  name: 'e',\n  follows: 'd',\n  images: { 'bitquan-node': '0.7.0' }\n});\n` });
  });

  it('edits one-line objects inline and follows a default export through a constant', () => {
    const source = `const env = defineEnvironment({ name: 'e', images: { api: '1' } });\nexport default env;\n`;
    expect(edit(source, { api: '2', web: '3' })).toEqual({ text: `const env = defineEnvironment({ name: 'e', images: { api: '2', web: '3' } });\nexport default env;\n` });
  });

  it('refuses what it cannot edit as a literal', () => {
    expect(edit(`export default defineEnvironment({ name: 'e', images: IMAGES });\n`, { api: '2' })).toHaveProperty('error');
    expect(edit(`export default defineEnvironment({ name: 'e', images: { api: TAG } });\n`, { api: '2' })).toHaveProperty('error');
    expect(edit(`export default make('e');\n`, { api: '2' })).toHaveProperty('error');
  });
});
