import type { Media } from '../src/domain/conversation';
import { awaitReplyUpdate, stateQuery } from '../src/workflows';
import { chatCompletion, FakeOpenAI, messagesOf } from './helpers/fake-openai';
import { startTestStack } from './helpers/stack';
import { FakeWhatsApp } from './helpers/fake-whatsapp';
import { waitFor } from './helpers/wait-for';
import { hmacSha256Hex } from '../src/secrets';

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

/**
 * A channel's media sit behind its credentials: a WhatsApp voice note or image is a media id,
 * fetched through the Graph API with the access token before the model hears or sees it.
 */
describe('media from a channel', () => {
  test("a WhatsApp voice note is transcribed and an image seen, both fetched through the Graph API with the channel's token", async () => {
    const whatsapp = await new FakeWhatsApp().start();
    whatsapp.addMedia('voice-1', Buffer.from('OggS-whatsapp-voice'), 'audio/ogg; codecs=opus');
    whatsapp.addMedia('photo-1', Buffer.from('jpeg-bytes'), 'image/jpeg');
    const model = await new FakeOpenAI((request) => {
      if (request.path === '/v1/audio/transcriptions') return { status: 200, body: { text: 'quiero un turno para mañana' } };
      return chatCompletion('Entendido.');
    }).start();
    const stack = await startTestStack({
      llmProviders: [{ name: 'fake', baseURL: model.baseURL, apiKey: 'sk-test', model: 'fake-model', transcriptionModel: 'whisper-1' }],
      channels: { whatsapp: { ...whatsapp.credentials(), quietPeriodMs: 0 } },
    });
    try {
      const waId = '5491100000777';
      const send = async (id: string, message: Record<string, unknown>) => {
        const value = {
          messaging_product: 'whatsapp',
          metadata: { display_phone_number: '5491100009999', phone_number_id: whatsapp.credentials().phoneNumberId },
          contacts: [{ profile: { name: 'Ana' }, wa_id: waId }],
          messages: [{ from: waId, id, timestamp: String(Math.floor(Date.now() / 1000)), ...message }],
        };
        const body = JSON.stringify({ object: 'whatsapp_business_account', entry: [{ id: '1', changes: [{ field: 'messages', value }] }] });
        const signature = `sha256=${hmacSha256Hex(whatsapp.credentials().appSecret, body)}`;
        expect((await stack.request('POST', '/webhooks/demo/whatsapp', body, { 'content-type': 'application/json', 'x-hub-signature-256': signature })).status).toBe(200);
      };

      await send('wamid.voice', { type: 'audio', audio: { id: 'voice-1', mime_type: 'audio/ogg; codecs=opus', voice: true } });
      await waitFor('the reply to the voice note', () => whatsapp.sent(waId).length === 1);
      const upload = model.requests.find((request) => request.path === '/v1/audio/transcriptions')!;
      expect(upload.body).toContain('OggS-whatsapp-voice');
      expect(lastUserContent(model)).toBe('[voice note, transcribed] quiero un turno para mañana');

      await send('wamid.photo', { type: 'image', image: { id: 'photo-1', mime_type: 'image/jpeg', caption: '¿Esto se puede tratar?' } });
      await waitFor('the reply to the image', () => whatsapp.sent(waId).length === 2);
      expect(lastUserContent(model)).toEqual([
        { type: 'text', text: '¿Esto se puede tratar?' },
        { type: 'image_url', image_url: { url: `data:image/jpeg;base64,${Buffer.from('jpeg-bytes').toString('base64')}` } },
      ]);
      // The provider got the pictures, never the channel's links or token.
      expect(JSON.stringify(model.chatRequests)).not.toContain(whatsapp.origin);
      const downloads = whatsapp.requests.filter((request) => request.method === 'GET');
      expect(downloads.length).toBeGreaterThanOrEqual(4);
      for (const download of downloads) expect(download.headers.authorization).toBe(`Bearer ${whatsapp.credentials().accessToken}`);
    } finally {
      await stack.stop();
      await model.stop();
      await whatsapp.stop();
    }
  });
});
