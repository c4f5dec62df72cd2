import { cache } from 'react';
import { environmentNamesForRoles } from '@/lib/server/environments/environment-names';

// Read-only lookups shared by layouts; cached per request.
export const environmentNamesForHeader = cache(environmentNamesForRoles);
