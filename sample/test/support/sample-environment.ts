/**
 * The sample's variables, removed from this test file's `process.env`. Import it before AppModule:
 * `ConfigModule.forRoot({ validate })` reads the environment when app.module is loaded, and
 * credentials in the shell must not turn an e2e test into calls to the real Weir API.
 */
export const SAMPLE_VARIABLES = [
  'PORT',
  'WEIR_CLIENT_ID',
  'WEIR_SECRET_KEY',
  'WEIR_ENVIRONMENT',
  'WEIR_API_URL',
  'WEIR_SAMPLE_PATH',
] as const;

for (const name of SAMPLE_VARIABLES) delete process.env[name];
