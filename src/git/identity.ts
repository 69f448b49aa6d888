/** Who gitfed commits and logs ref updates as. Fixed, so commit ids depend on the source only. */
export const GITFED_NAME = 'gitfed';
export const GITFED_EMAIL = 'gitfed@users.noreply.invalid';
