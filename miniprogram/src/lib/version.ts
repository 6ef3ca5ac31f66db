// The app's version as 我的 shows it (tests/version.test.ts keeps it equal to package.json's;
// importing package.json here would bundle the whole file).
export const APP_VERSION = '1.0.0'
