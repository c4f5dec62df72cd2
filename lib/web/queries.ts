import { cache } from 'react';
import { environmentNamesForRoles } from '@/lib/server/environments/environment-names';
import { countNeedsMyReview } from '@/lib/server/queries/count-needs-my-review';

// Read-only lookups shared by layouts; cached per request.
export const environmentNamesForHeader = cache(environmentNamesForRoles);

export const needsMyReviewForHeader = cache(countNeedsMyReview);
