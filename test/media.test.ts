import type { Media } from '../src/domain/conversation';
import { awaitReplyUpdate, stateQuery } from '../src/workflows';
import { chatCompletion, FakeOpenAI, messagesOf } from './helpers/fake-openai';
import { startTestStack } from './helpers/stack';

/**
 * One fake provider that answers chats, transcribes audio, and serves the media files a channel
 * would link to.
 */
async function mediaProvider(options: { vision?: boolean; transcriptionModel?: string } = {}) {
  const model = await new FakeOpenAI((request) => {
    if (request.path.startsWith('/media/')) return { status: 200, body: 'OggS-fake-audio-bytes' };
    if (request.path === '/v1/audio/transcriptions') return { status: 200, body: { text: 'quiero un turno para mañana' } };
    return chatCompletion('Entendido.');
  }).start();
  const stack = await startTestStack({
    llmProviders: [{ name: 'fake', baseURL: model.baseURL, apiKey: 'sk-test', model: 'fake-model', ...options }],
  });
  const mediaUrl = (name: string) => model.baseURL.replace(/\/v1$/, `/media/${name}`);
  /** Sends one customer message with media and waits for the reply. */
  const send = async (contactId: string, text: string, media: Media[]) => {
    const handle = await stack.deliver('web', contactId, text, `${contactId}-1`, media);
    await handle.executeUpdate(awaitReplyUpdate, { args: [{ messageId: `${contactId}-1` }] });
    return handle;
  };
  return { model, stack, mediaUrl, send, stop: async () => (await stack.stop(), await model.stop()) };
}

const lastUserContent = (model: FakeOpenAI) => messagesOf(model.chatRequests.at(-1)!, 'user').at(-1).content;

describe('media', () => {
  test('an image reaches a vision model as an image part (the picture itself, not a link to it), and a text-only model as a note', async () => {
    const vision = await mediaProvider();
    try {
      await vision.send('img', '¿Esto se puede tratar?', [{ kind: 'image', url: vision.mediaUrl('spot.jpg'), mimeType: 'image/jpeg' }]);
      expect(lastUserContent(vision.model)).toEqual([
        { type: 'text', text: '¿Esto se puede tratar?' },
        { type: 'image_url', image_url: { url: `data:image/jpeg;base64,${Buffer.from(JSON.stringify('OggS-fake-audio-bytes')).toString('base64')}` } },
      ]);
    } finally {
      await vision.stop();
    }
    const textOnly = await mediaProvider({ vision: false });
    try {
      await textOnly.send('img-text-only', '¿Esto se puede tratar?', [{ kind: 'image', url: textOnly.mediaUrl('spot.jpg') }]);
      expect(lastUserContent(textOnly.model)).toBe('¿Esto se puede tratar?\n[the customer sent an image]');
    } finally {
      await textOnly.stop();
    }
  });

  test('a voice note is transcribed before the turn, and its words are what the model reads', async () => {
    const { model, mediaUrl, send, stop } = await mediaProvider({ transcriptionModel: 'whisper-1' });
    try {
      const handle = await send('voice', '', [{ kind: 'audio', url: mediaUrl('note.ogg'), mimeType: 'audio/ogg' }]);
      const upload = model.requests.find((request) => request.path === '/v1/audio/transcriptions')!;
      expect(upload.headers['content-type']).toMatch(/^multipart\/form-data/);
      expect(upload.body).toMatch(/name="model"\r\n\r\nwhisper-1/);
      expect(upload.body).toContain('OggS-fake-audio-bytes');
      expect(lastUserContent(model)).toBe('[voice note, transcribed] quiero un turno para mañana');
      const state = await handle.query(stateQuery);
      expect(state.transcript[0]).toMatchObject({ role: 'customer', media: [{ kind: 'audio', transcript: 'quiero un turno para mañana' }] });
    } finally {
      await stop();
    }
  });

  test('with nothing to transcribe it, the model is told the voice note could not be heard', async () => {
    const { model, mediaUrl, send, stop } = await mediaProvider(); // no transcription model
    try {
      await send('deaf', '', [{ kind: 'audio', url: mediaUrl('note.ogg') }]);
      expect(lastUserContent(model)).toBe('[voice note: could not be transcribed]');
      expect(model.requests.some((request) => request.path.includes('/audio/'))).toBe(false);
      // The prompt tells the model what to do with that note.
      expect(messagesOf(model.chatRequests.at(-1)!, 'system')[0].content).toContain('no puedes escuchar audios');
    } finally {
      await stop();
    }
  });
});
