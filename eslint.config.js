// ESLint for Storm: typescript-eslint's recommended rules, type-aware where it pays (floating
// promises lose errors; misused promises hide them).
import tseslint from 'typescript-eslint'

export default tseslint.config(
  { ignores: ['node_modules/', '.storm/', 'coverage/'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname }
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-imports': ['error', {
        patterns: [{ group: ['**/bot/**', '**/bot/*'], message: 'manager/ never imports bot/' }]
      }]
    }
  },
  {
    // the restriction above is for the domain only
    files: ['src/bot/**', 'src/app/**', 'src/demo/**', 'src/main.ts', 'test/**', 'bench/**', 'scripts/**'],
    rules: { 'no-restricted-imports': 'off' }
  },
  {
    // node:test's test() returns a promise the runner itself awaits; test helpers generic over
    // any emitter and declarations of untyped vendor modules may say `any`
    files: ['test/**'],
    rules: { '@typescript-eslint/no-floating-promises': 'off', '@typescript-eslint/no-explicit-any': 'off' }
  },
  {
    files: ['**/*.d.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' }
  },
  {
    files: ['**/*.js'],
    ...tseslint.configs.disableTypeChecked
  }
)
