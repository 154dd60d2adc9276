// Jest on Node 20 cannot require() an ES module, and a few CommonJS packages of the Nest
// ecosystem (@nestjs/throttler, @nest-lab/throttler-storage-redis) require() the ESM-only
// @nestjs/common and @nestjs/core. For those require() calls only, Jest asks for CommonJS
// (supportsStaticESM is false) and this transformer compiles the ES module to it with the
// TypeScript compiler the project already has. Imports from ESM code keep the real module.
// Node itself needs none of this: it can require() ES modules since 20.19.
const { createHash } = require('node:crypto');
const ts = require('typescript');

module.exports = {
  getCacheKey(source, path, options) {
    return createHash('sha256')
      .update(source)
      .update(path)
      .update(String(options.supportsStaticESM))
      .update('v1')
      .digest('hex');
  },
  process(source, path, options) {
    if (options.supportsStaticESM) return { code: source };
    const code = source.replace(
      /import\.meta\.url/g,
      "require('node:url').pathToFileURL(__filename).href",
    );
    const output = ts.transpileModule(code, {
      fileName: path,
      compilerOptions: {
        module: ts.ModuleKind.CommonJS,
        target: ts.ScriptTarget.ES2022,
        allowJs: true,
        esModuleInterop: true,
        sourceMap: false,
      },
    });
    return { code: output.outputText };
  },
};
