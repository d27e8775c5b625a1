// Resolves and converts the sf project with Salesforce's own metadata library, offline.
// Run under Node 22 (the library's HTTP client needs it): node convert-salesforce-package.mjs <project> <outDir>

import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';

const require = createRequire(import.meta.url);
const { ComponentSet, MetadataConverter } = require('@salesforce/source-deploy-retrieve');

const [projectDir, outputDirectory] = process.argv.slice(2);
if (!projectDir || !outputDirectory)
  throw new Error('usage: convert-salesforce-package.mjs <project> <outDir>');

const project = JSON.parse(readFileSync(join(projectDir, 'sfdx-project.json'), 'utf8'));
const set = ComponentSet.fromSource(project.packageDirectories.map((d) => join(projectDir, d.path)));
set.sourceApiVersion = project.sourceApiVersion;
const components = set.getSourceComponents().toArray();
const result = await new MetadataConverter().convert(set, 'metadata', {
  type: 'directory',
  outputDirectory,
  packageName: 'territory-router',
  genUniqueDir: false,
});

const files = (dir) =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : [relative(outputDirectory, join(dir, e.name))],
  );
process.stdout.write(
  JSON.stringify({
    components: components.map((c) => ({
      type: c.type.name,
      fullName: c.fullName,
      children: c.getChildren().map((child) => ({ type: child.type.name, fullName: child.fullName })),
    })),
    manifest: (await set.getPackageXml()).toString(),
    converted: result.packagePath ? files(result.packagePath) : [],
  }),
);
