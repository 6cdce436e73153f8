import { textWithChoices } from '../../src/channels/message-parts';
import { ApplicationFailure } from '@temporalio/common';
import type { OutboundMessage } from '../../src/channels/adapter';
import { whatsappAdapter } from '../../src/channels/whatsapp';
import { FakeWhatsApp } from '../helpers/fake-whatsapp';
import { fixtureJson } from '../helpers/fixtures';

const TO = '5491100000001';

describe('sending through the WhatsApp Cloud API', () => {
  let whatsapp: FakeWhatsApp;
  beforeAll(async () => {
    whatsapp = await new FakeWhatsApp().start();
  });
  afterAll(() => whatsapp.stop());
  beforeEach(() => whatsapp.requests.splice(0));

  const credentials = () => whatsappAdapter.credentialsSchema.parse(whatsapp.credentials());
  /** Sends, then returns the wamid the fake gave and the bodies it received. */
  const send = async (message: OutboundMessage) => {
    const id = await whatsappAdapter.send(credentials(), TO, message);
    return { id, bodies: whatsapp.requests.map((request) => request.body) };
  };

  test('a text goes exactly as Meta documents it, and its wamid comes back', async () => {
    const expected = fixtureJson('whatsapp-cloud.send-text.request.json');
    const { id, bodies } = await send({ text: expected.body.text.body });
    expect(bodies).toEqual([expected.body]);
    expect(id).toBe(whatsapp.requests[0]!.messageId);
    const [request] = whatsapp.requests;
    expect(request).toMatchObject({ method: 'POST', path: new URL(expected.url).pathname, headers: { authorization: expected.headers.Authorization } });
    expect(request!.headers['content-type']).toBe('application/json');
  });

  test('a template goes instead of the text, its parameters in order', async () => {
    const expected = fixtureJson('whatsapp-cloud.send-template.request.json');
    const template = { name: 'appointment_reminder', language: 'es_AR', parameters: ['Lucía', '2 de enero, 15:00'] };
    const { bodies } = await send({ text: 'Hola Lucía, te recordamos tu turno', template });
    expect(bodies).toEqual([expected.body]);
    expect(whatsapp.requests[0]!.path).toBe(new URL(expected.url).pathname);
  });

  test("a template's quick-reply buttons carry the choices' ids as payloads", async () => {
    const buttons = [
      { id: 'confirm_appt_123', title: 'Confirmar' },
      { id: 'cancel_appt_123', title: 'Cancelar' },
    ];
    const { bodies } = await send({ text: 'x', template: { name: 'appointment_reminder', language: 'es_AR', parameters: ['Lucía'], buttons } });
    expect(bodies[0].template.components).toEqual([
      { type: 'body', parameters: [{ type: 'text', text: 'Lucía' }] },
      { type: 'button', sub_type: 'quick_reply', index: '0', parameters: [{ type: 'payload', payload: 'confirm_appt_123' }] },
      { type: 'button', sub_type: 'quick_reply', index: '1', parameters: [{ type: 'payload', payload: 'cancel_appt_123' }] },
    ]);
  });

  test('up to three short choices are reply buttons', async () => {
    const choices = [
      { id: 'confirm_appt_123', title: 'Confirmar' },
      { id: 'reschedule_appt_123', title: 'Cambiar horario' },
      { id: 'cancel_appt_123', title: 'Cancelar' },
    ];
    const { bodies } = await send({ text: '¿Confirmás tu turno de mañana a las 15:00?', choices });
    expect(bodies).toEqual([
      {
        messaging_product: 'whatsapp',
        recipient_type: 'individual',
        to: TO,
        type: 'interactive',
        interactive: {
          type: 'button',
          body: { text: '¿Confirmás tu turno de mañana a las 15:00?' },
          action: { buttons: choices.map((choice) => ({ type: 'reply', reply: choice })) },
        },
      },
    ]);
  });

  test('four to ten choices, or titles too long for a button, are a list', async () => {
    const slots = ['09:00', '10:00', '11:00', '14:00', '15:00'].map((time) => ({ id: `slot-${time}`, title: `Martes ${time}` }));
    const { bodies } = await send({ text: 'Estos horarios están libres:', choices: slots });
    expect(bodies[0].interactive).toEqual({
      type: 'list',
      body: { text: 'Estos horarios están libres:' },
      action: { button: 'Ver opciones', sections: [{ rows: slots }] },
    });
    const long = [
      { id: 'a', title: 'Limpieza facial profunda' },
      { id: 'b', title: 'Depilación' },
    ];
    const { bodies: longBodies } = await send({ text: '¿Qué servicio?', choices: long });
    expect(longBodies[1].interactive.type).toBe('list');
  });

  test('choices that fit no button or list row are listed in the text', async () => {
    const choices = [
      { id: 'a', title: 'Limpieza facial profunda con extracción' },
      { id: 'b', title: 'Masaje descontracturante' },
    ];
    const { bodies } = await send({ text: '¿Qué servicio?', choices });
    expect(bodies[0]).toMatchObject({ type: 'text', text: { body: '¿Qué servicio?\n\n• Limpieza facial profunda con extracción\n• Masaje descontracturante' } });
  });

  test('an image goes with the text as its caption; a document after buttons, with its file name', async () => {
    const image = { kind: 'image' as const, url: 'https://clinica.example/promo.jpg' };
    const { bodies } = await send({ text: 'Nuestra promo de enero', attachment: image });
    expect(bodies).toEqual([
      { messaging_product: 'whatsapp', recipient_type: 'individual', to: TO, type: 'image', image: { link: image.url, caption: 'Nuestra promo de enero' } },
    ]);

    whatsapp.requests.splice(0);
    const document = { kind: 'document' as const, url: 'https://clinica.example/indicaciones.pdf', fileName: 'indicaciones.pdf' };
    const { id, bodies: documentBodies } = await send({ text: '¿Confirmás?', choices: [{ id: 'yes', title: 'Sí' }], attachment: document });
    expect(documentBodies.map((body) => body.type)).toEqual(['interactive', 'document']);
    expect(documentBodies[1].document).toEqual({ link: document.url, filename: 'indicaciones.pdf' });
    // The text's message is the one a delivery failure would name.
    expect(id).toBe(whatsapp.requests[0]!.messageId);
  });

  test('a refusal of the Cloud API (4xx) is not retried', async () => {
    const wrongToken = { ...credentials(), accessToken: 'expired' };
    const failure = await whatsappAdapter.send(wrongToken, TO, { text: 'hola' }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure).toMatchObject({ type: 'ChannelRefused', nonRetryable: true });
  });

  test('a media id that is not one is refused before any request', async () => {
    await expect(whatsappAdapter.fetchMedia(credentials(), { kind: 'image', url: '../../me' })).rejects.toMatchObject({ type: 'ChannelRefused' });
    expect(whatsapp.requests).toEqual([]);
  });
});

describe('choices in the text', () => {
  test('only the choices the text does not already name are listed, as bullets a customer answers with words', () => {
    expect(textWithChoices('Libres: 09:00, 10:00. ¿Cuál prefieres?', [{ id: 'a', title: '09:00' }, { id: 'b', title: '10:00' }])).toBe('Libres: 09:00, 10:00. ¿Cuál prefieres?');
    expect(textWithChoices('¿Lo confirmás?', [{ id: 'c', title: 'Confirmar' }])).toBe('¿Lo confirmás?\n\n• Confirmar');
  });
});
