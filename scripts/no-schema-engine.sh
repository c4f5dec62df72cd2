#!/bin/sh
# Stand-in for Prisma's native schema engine, which this project does not download.
# `prisma generate` only checks that the file exists; anything that really needs the engine
# (`migrate dev`, `migrate deploy`, `db push`) must fail loudly instead of "succeeding".
echo "ingress-gate: Prisma's schema engine is not installed. Apply migrations with 'npm run db:deploy';" >&2
echo "write new ones with 'npm run db:migrate' (see ARCHITECTURE.md, decision 3)." >&2
exit 1
