import type { DocumentData } from './document-data';

/**
 * A full DocumentData for every group, with `entries` bill entries: the data of the rendering tests, the bench and
 * `utm5_document --sample` style previews of a template a sysadmin has edited.
 */
export function sampleDocumentData(opts: { entries?: number; accountId?: number; calls?: number } = {}): DocumentData {
  const accountId = opts.accountId ?? 1001;
  const n = opts.entries ?? 3;
  const period = 1_764_547_200; // 2025-12-01 00:00 UTC
  const entries = Array.from({ length: n }, (_, i) => ({
    name: i === 0 ? 'Абонентская плата «Домашний 100»' : `Услуга ${i + 1}`,
    price: 500_000_000 + i * 1_000_000,
    quantity: 1,
    sum_without_tax: 416_666_667 + i * 833_333,
    tax: 83_333_333 + i * 166_667,
    tax_rate: 20,
    sum_with_tax: 500_000_000 + i * 1_000_000,
    unit_name: 'month',
    unit_code: '362',
    alt: { price: 500_000_000, quantity: 30, unit_name: 'day', unit_code: '359' },
  }));
  const sumWith = entries.reduce((s, e) => s + e.sum_with_tax, 0);
  const sumWithout = entries.reduce((s, e) => s + e.sum_without_tax, 0);
  const calls = Array.from({ length: opts.calls ?? 2 }, (_, i) => ({
    id: 9000 + i,
    zone: 'Москва',
    direction: 'Мобильные',
    date: period + 3600 * (i + 10),
    calling_number: '74951234567',
    called_number: `7916000${String(i).padStart(4, '0')}`,
    called_prefix: '7916',
    duration: 125 + i,
    type: 'outgoing',
    cost: 3_500_000,
  }));
  return {
    document: { number: 42, alt_number: 'ABC#00042-DE', date: period + 30 * 86_400 },
    user: {
      id: 7,
      full_name: 'ООО «Ромашка»',
      login: 'romashka',
      password: 'secret',
      actual_address: 'Москва, ул. Ленина, д. 1',
      juridical_address: 'Москва, ул. Ленина, д. 1, оф. 2',
      home_telephone: '+7 495 000-00-01',
      work_telephone: '+7 495 000-00-02',
      mobile_telephone: '+7 916 000-00-03',
      tax_number: '7701234567',
      kpp_number: '770101001',
      icq_number: '123456',
      web_page: 'romashka.example',
      district: 'Центральный',
      building: '1',
      entrance: '2',
      floor: '3',
      flat_number: '4',
      personal_manager: 'Петрова А. А.',
      basic_account: accountId,
      passport: '4500 123456',
      email: 'buh@romashka.example',
      comments: 'VIP',
      bank_account: '40702810000000000001',
      bank_name: 'ПАО Банк',
      bank_city: 'Москва',
      bank_bic: '044525000',
      bank_corr_account: '30101810400000000225',
      currency_short_name: 'руб.',
      currency_full_name: 'Российский рубль',
      currency_code: 810,
      connect_date: period - 365 * 86_400,
      params: { 1: 'Этаж без лифта' },
      contacts: {
        headman: { full_name: 'Иванов Иван Иванович', position: 'директор', telephone: '+7 495 111-11-11' },
        booker: { short_name: 'Сидорова С. С.', email: 'booker@romashka.example' },
      },
    },
    account: {
      account_id: accountId,
      external_id: `EXT-${accountId}`,
      balance: -150_250_000,
      credit: 100_000_000,
      vat_rate: 20,
      sale_tax_rate: 0,
      access_card_number: '5550001',
    },
    provider: {
      full_name: 'ООО «Телеком Плюс»',
      short_name: 'Телеком Плюс',
      juridical_address: 'Москва, пр. Мира, д. 10',
      actual_address: 'Москва, пр. Мира, д. 10, стр. 1',
      tax_number: '7709876543',
      kpp_number: '770901001',
      chief_full_name: 'Смирнов Пётр Петрович',
      chief_short_name: 'Смирнов П. П.',
      booker_full_name: 'Кузнецова Мария Ивановна',
      booker_short_name: 'Кузнецова М. И.',
      bank_account: '40702810900000000002',
      bank_name: 'АО Банк',
      bank_city: 'Москва',
      bank_bic: '044525001',
      bank_corr_account: '30101810200000000593',
    },
    contract: {
      number: 'Д-2024/17',
      name: 'Услуги связи',
      date: period - 365 * 86_400,
      list: [
        { number: 'Д-2024/17', name: 'Услуги связи', date: period - 365 * 86_400 },
        { number: 'Д-2025/03', name: 'IPTV', date: period - 100 * 86_400 },
      ],
    },
    payment: {
      id: 555,
      amount_in_currency: 1_500_000_000,
      amount_absolute: 1_500_000_000,
      date: { actual: period + 5 * 86_400, enter: period + 5 * 86_400 + 3_723, burn: period + 400 * 86_400 },
      document_number: 'ПП-981',
      comments: { user: 'Оплата за декабрь', admin: 'касса 2' },
      hash: 'a1b2c3',
      currency_rate: 1,
      currency_short_name: 'руб.',
      currency_full_name: 'Российский рубль',
      currency_code: 810,
    },
    bill: {
      sum_without_tax: sumWithout,
      sum_with_tax: sumWith,
      period_start: period,
      period_end: period + 30 * 86_400,
      balance_when_created: -150_250_000,
      debt: 150_250_000,
      payment_amount: sumWithout,
      payment_amount_with_tax: sumWith,
      date: period + 30 * 86_400,
    },
    summary: {
      periodic_fee: 500_000_000,
      total_fee: 7_000_000,
      other_fee: 0,
      local: { charges: 0, count: 0, duration: 0 },
      innerzone: { charges: 7_000_000, count: calls.length, duration: calls.reduce((s, c) => s + c.duration, 0) },
      intercity: { charges: 0, count: 0, duration: 0 },
      international: { charges: 0, count: 0, duration: 0 },
    },
    iptv: {
      access_card_number: 5550001,
      activation_code: { part1: 'AAAA', part2: 'BBBB', part3: 'CCCC', part4: 'DDDD', part5: 'EEEE', part6: 'FFFF' },
    },
    bill_entry: entries,
    call: calls,
    ipgroup: [
      {
        login: 'romashka-ip',
        password: 'ippass',
        mac: '00:11:22:33:44:55',
        ip: '10.0.0.7',
        mask: '255.255.255.0',
        gateway: '10.0.0.1',
      },
    ],
    tariff: [{ name: 'Домашний 100', cost: 500_000_000, account_id: accountId }],
    dialup: [],
    hotspot: [{ login: 'hs-romashka', password: 'hspass' }],
    telephony: [{ number: '74951234567', login: 'tel-romashka', password: 'telpass', pbx: 'pbx1', cid: '74951234567' }],
  };
}

/** The replacement list of the stock document profile: unit and call-type keys to the words printed. */
export const SAMPLE_REPLACEMENTS: ReadonlyMap<string, string> = new Map([
  ['month', 'мес.'],
  ['day', 'сут.'],
  ['outgoing', 'исходящий'],
  ['incoming', 'входящий'],
  ['ул.', 'улица'],
]);
