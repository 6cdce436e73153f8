import type { z } from 'zod';
import { WebhookMalformed, type WebhookRequest } from './adapter';

/** A request header's value (the first, if repeated); header names are lower case. */
export function header(request: WebhookRequest, name: string): string | undefined {
  const value = request.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

/** The body as JSON of the provider's shape; anything else is WebhookMalformed, naming the fields. */
export function readJson<S extends z.ZodType>(request: WebhookRequest, schema: S): z.infer<S> {
  let json: unknown;
  try {
    json = JSON.parse(request.rawBody.toString('utf8'));
  } catch {
    throw new WebhookMalformed('The body is not JSON');
  }
  return readShape(json, schema);
}

/** A decoded body checked against the provider's shape. */
export function readShape<S extends z.ZodType>(value: unknown, schema: S): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const fields = parsed.error.issues.slice(0, 5).map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`);
  throw new WebhookMalformed(`The body is not in the provider's format (${fields.join('; ')})`);
}

/** A provider's Unix timestamp (seconds or milliseconds) as ISO 8601; now when absent or absurd. */
export function receivedAt(timestamp: number | string | undefined, now = new Date()): string {
  const value = Number(timestamp);
  if (!Number.isFinite(value) || value <= 0) return now.toISOString();
  const date = new Date(value < 1e12 ? value * 1000 : value);
  return Number.isNaN(date.getTime()) ? now.toISOString() : date.toISOString();
}

/** A shared location, in words the assistant (and a person) can use. */
export function locationText(location: { latitude: number; longitude: number; name?: string; address?: string }): string {
  const place = [location.name, location.address].filter(Boolean).join(', ');
  const coordinates = `${location.latitude.toFixed(5)}, ${location.longitude.toFixed(5)}`;
  return `📍 ${place ? `${place} (${coordinates})` : coordinates} https://maps.google.com/?q=${location.latitude},${location.longitude}`;
}
