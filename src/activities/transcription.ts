import { log } from '@temporalio/activity';
import { toFile } from 'openai';
import type { ConversationRef, Media } from '../domain/conversation';
import type { MediaDownloader } from './media-download';
import { withHeartbeat } from './heartbeat';
import type { ModelChain } from './llm-providers';

/** What a transcript may add to the conversation (it travels in every model step of the turn). */
const MAX_TRANSCRIPT_CHARS = 20_000;

export function createTranscriptionActivities(deps: { chain: ModelChain; download: MediaDownloader }) {
  return {
    /**
     * A voice note's words, from the first provider of the chain that transcribes audio.
     * Undefined when none can (none configured, audio unreachable, every provider failed): the
     * assistant then tells the customer it cannot listen to audio, instead of the turn failing.
     */
    transcribeVoiceNote: (media: Media, ref?: ConversationRef): Promise<string | undefined> => withHeartbeat(() => transcribe(media, ref)),
  };

  async function transcribe(media: Media, ref: ConversationRef | undefined): Promise<string | undefined> {
    const transcribers = deps.chain.clients.filter(({ provider }) => provider.transcriptionModel);
    if (transcribers.length === 0 || !media.url) return undefined;
    const audio = (await deps.download(media, ref))?.bytes;
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

/** Transcription APIs pick the decoder by file extension. */
function fileName(mimeType = 'audio/ogg'): string {
  const extension = { 'audio/mpeg': 'mp3', 'audio/mp4': 'm4a', 'audio/wav': 'wav', 'audio/webm': 'webm' }[mimeType.split(';')[0]!.trim()];
  return `voice-note.${extension ?? 'ogg'}`;
}
