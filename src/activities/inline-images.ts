import type { ConversationRef, TranscriptEntry } from '../domain/conversation';
import type { MediaDownloader } from './media-download';

/** The latest images go to a vision model; older ones are known by their captions. */
const MAX_IMAGES = 3;

/**
 * The transcript with the latest images fetched through the customer's channel and inlined as
 * data URLs. A channel's media is behind its credentials (a Telegram file URL holds the bot's
 * token): the model provider gets the picture, never a link to it. Images that cannot be had,
 * or are older, keep only their caption.
 */
export async function inlineImages(transcript: readonly TranscriptEntry[], ref: ConversationRef, download: MediaDownloader): Promise<TranscriptEntry[]> {
  const withImages = transcript.flatMap((entry) =>
    entry.role === 'customer' && entry.media?.some((item) => item.kind === 'image' && item.url) ? [entry.seq] : [],
  );
  const inlined = new Set(withImages.slice(-MAX_IMAGES));
  return Promise.all(
    transcript.map(async (entry) => {
      if (entry.role !== 'customer' || !entry.media) return entry;
      const media = await Promise.all(
        entry.media.map(async (item) => {
          if (item.kind !== 'image' || !item.url) return item;
          const file = inlined.has(entry.seq) ? await download(item, ref) : undefined;
          return file ? { ...item, url: `data:${file.mimeType};base64,${file.bytes.toString('base64')}` } : { ...item, url: undefined };
        }),
      );
      return { ...entry, media };
    }),
  );
}
