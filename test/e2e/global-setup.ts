// Placeholder until the member control planes land (issue 5).
export default async function setup(): Promise<void> {}
