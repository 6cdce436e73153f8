export default async function globalTeardown(): Promise<void> {
  const services = globalThis.conciergeTestServices;
  await Promise.all([services?.temporal.stop(), services?.postgres.stop()]);
}
