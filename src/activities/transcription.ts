import { log } from '@temporalio/activity';
import { toFile } from 'openai';
import type { Media } from '../domain/conversation';
import { withHeartbeat } from './heartbeat';
import type { ModelChain } from './llm-providers';

/** OpenAI's upload limit for transcriptions. */
const MAX_AUDIO_BYTES = 25 * 1024 * 1024;
/** What a transcript may add to the conversation (it travels in every model step of the turn). */
const MAX_TRANSCRIPT_CHARS = 20_000;
const DOWNLOAD_TIMEOUT_MS = 20_000;

export function createTranscriptionActivities(deps: { chain: ModelChain }) {
  return {
    /**
     * A voice note's words, from the first provider of the chain that transcribes audio.
     * Undefined when none can (none configured, audio unreachable, every provider failed): the
     * assistant then tells the customer it cannot listen to audio, instead of the turn failing.
     */
    transcribeVoiceNote: (media: Media): Promise<string | undefined> => withHeartbeat(() => transcribe(media)),
  };

  async function transcribe(media: Media): Promise<string | undefined> {
    const transcribers = deps.chain.clients.filter(({ provider }) => provider.transcriptionModel);
    if (transcribers.length === 0 || !media.url) return undefined;
    const audio = await download(media.url);
    if (!audio) return undefined;
    for (const { provider, client } of transcribers) {
      try {
        const file = await toFile(audio, fileName(media.mimeType), { type: media.mimeType ?? 'audio/ogg' });
        const { text } = await client.audio.transcriptions.create({ file, model: provider.transcriptionModel! });
        if (text.trim()) return text.trim().slice(0, MAX_TRANSCRIPT_CHARS);
      } catch (error) {
        log.warn('voice note not transcribed; trying the next provider', { provider: provider.name, error: (error as Error).message });
      }
    }
    return undefined;
  }
}

async function download(url: string): Promise<Buffer | undefined> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(DOWNLOAD_TIMEOUT_MS) });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    // Refused before reading when the size is announced; checked again after, when it is not.
    if (Number(response.headers.get('content-length') ?? 0) > MAX_AUDIO_BYTES) throw new Error('the file is over the limit');
    const body = Buffer.from(await response.arrayBuffer());
    if (body.byteLength > MAX_AUDIO_BYTES) throw new Error(`${body.byteLength} bytes is over the limit`);
    return body;
  } catch (error) {
    // The URL may carry a provider token: log why, not where.
    log.warn('voice note could not be downloaded', { error: (error as Error).message });
    return undefined;
  }
}

/** Transcription APIs pick the decoder by file extension. */
function fileName(mimeType = 'audio/ogg'): string {
  const extension = { 'audio/mpeg': 'mp3', 'audio/mp4': 'm4a', 'audio/wav': 'wav', 'audio/webm': 'webm' }[mimeType.split(';')[0]!.trim()];
  return `voice-note.${extension ?? 'ogg'}`;
}
