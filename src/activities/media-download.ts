import { log } from '@temporalio/activity';
import type { MediaFile } from '../channels/adapter';
import type { ChannelSetupLookup } from '../channels/setup';
import type { ConversationRef, Media } from '../domain/conversation';

/** OpenAI's upload limit for transcriptions, and far above any image a chat carries. */
export const MAX_MEDIA_BYTES = 25 * 1024 * 1024;
const DOWNLOAD_TIMEOUT_MS = 20_000;

/** A media file a customer sent, or undefined when it cannot be had (logged, never thrown). */
export type MediaDownloader = (media: Media, ref?: ConversationRef) => Promise<MediaFile | undefined>;

/**
 * Downloads what a message refers to through its channel's media API (WhatsApp media ids,
 * Telegram file ids, Evolution message keys… need the channel's credentials). Without a
 * conversation (activities scheduled before channels had adapters), a plain URL is fetched.
 */
export function mediaDownloader(channels: ChannelSetupLookup): MediaDownloader {
  return async (media, ref) => {
    try {
      const setup = ref && ref.channel !== 'web' ? await channels(ref.tenantId, ref.channel) : undefined;
      const file = setup ? await setup.adapter.fetchMedia(setup.credentials, media) : await fetchUrl(media);
      if (file.bytes.byteLength > MAX_MEDIA_BYTES) throw new Error(`${file.bytes.byteLength} bytes is over the limit`);
      return file;
    } catch (error) {
      // A provider URL may carry a token: log why, not where.
      log.warn('media could not be downloaded', { kind: media.kind, error: (error as Error).message });
      return undefined;
    }
  };
}

async function fetchUrl(media: Media): Promise<MediaFile> {
  if (!media.url || !/^https?:\/\//.test(media.url)) throw new Error('no URL to download from');
  const response = await fetch(media.url, { signal: AbortSignal.timeout(DOWNLOAD_TIMEOUT_MS) });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  // Refused before reading when the size is announced; checked again after, when it is not.
  if (Number(response.headers.get('content-length') ?? 0) > MAX_MEDIA_BYTES) throw new Error('the file is over the limit');
  const bytes = Buffer.from(await response.arrayBuffer());
  return { bytes, mimeType: media.mimeType ?? response.headers.get('content-type') ?? 'application/octet-stream' };
}
