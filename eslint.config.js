import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'data/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      globals: { ...globals.node, ...globals.jest },
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-extraneous-class': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      '@typescript-eslint/unbound-method': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    // These SDKs load on first use (docs/OPERATIONS.md, "Memory"): a value import from a file
    // the service loads at boot would load them at every start again. Types are free.
    files: ['src/**/*.ts'],
    ignores: [
      'src/**/*.spec.ts',
      // Loaded on first use itself (twilio-sdk.ts), or a CLI outside the service.
      'src/providers/twilio/twilio-http-client.ts',
      'src/doctor/doctor-cli.ts',
      'src/agents/elevenlabs/cli.ts',
    ],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              // Two small, self-contained files of twilio are allowed: the webhook check and
              // the error mapping use them.
              regex:
                '^(?!twilio/lib/(base/RestException|webhooks/webhooks)\\.js$)(twilio|@modelcontextprotocol/sdk|ioredis|@nest-lab/throttler-storage-redis|@elevenlabs/elevenlabs-js|@vapi-ai/server-sdk)(/.*)?$',
              allowTypeImports: true,
              message: 'Load this SDK on first use with import(), as the others are.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    extends: [tseslint.configs.disableTypeChecked],
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { ...globals.node } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
