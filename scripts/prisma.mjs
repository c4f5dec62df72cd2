#!/usr/bin/env node
// Runs the Prisma CLI with its native schema engine pointed at a stand-in that fails loudly
// (scripts/no-schema-engine.sh). `prisma generate` works offline this way; migrations are
// applied by `npm run db:deploy` instead (ARCHITECTURE.md, decision 3).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const env = { ...process.env };
env.PRISMA_SCHEMA_ENGINE_BINARY ??= path.join(root, 'scripts', 'no-schema-engine.sh');
env.PRISMA_HIDE_UPDATE_MESSAGE = '1';
const cli = path.join(root, 'node_modules', 'prisma', 'build', 'index.js');
const result = spawnSync(process.execPath, [cli, ...process.argv.slice(2)], { stdio: 'inherit', env, cwd: root });
process.exit(result.status ?? 1);
