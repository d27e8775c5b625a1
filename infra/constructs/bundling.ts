/**
 * How every Lambda is bundled, in one place: the CDK function construct and the bundle-size
 * benchmark both read it, so the benchmark measures what deploys.
 */
export const lambdaBundling = {
  format: 'esm',
  target: 'node22',
  minify: true,
  mainFields: ['module', 'main'],
  /** The Node.js 22 runtime ships AWS SDK v3; bundling it again would only add cold-start weight. */
  externalModules: ['@aws-sdk/*'],
  /** CommonJS dependencies (jsforce) call require(); give the ESM bundle one. */
  banner: "import { createRequire as __cr } from 'module'; const require = __cr(import.meta.url);",
} as const;

/** Packages installed beside a bundle instead of inside it (loaded lazily at run time). */
export const lambdaNodeModules: Record<string, string[]> = {
  // 4.5 MB of postal centroids, required on the first proximity lookup only; public-holiday
  // rules (date-holidays), required the first time a rep calendar lists holiday regions;
  // the free-mail list (email-providers, 140 kB of JSON) that named-account rules are checked against;
  // the public-suffix list (tldts, 120 kB) that account matching reads website domains with. The last
  // two are ESM imports, so they load at start like the bundle; beside it they keep the bundle small.
  'intake.ts': ['zipcodes', 'date-holidays', 'email-providers', 'tldts'],
  'top-up.ts': ['zipcodes', 'date-holidays'],
  'release-held-leads.ts': ['zipcodes', 'date-holidays', 'email-providers', 'tldts'],
};
