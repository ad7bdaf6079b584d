import type { TemplateKind } from '../document-data';
import { p, table } from './odt-builder';

/**
 * The stock templates, one per kind of the manual's table, written with carbone markers. Together they use every
 * variable group, iterator and modifier of the manual; a sysadmin edits the generated .odt in LibreOffice (see
 * templates/README.md), this file only writes the first version.
 */
export interface TemplateDefinition {
  readonly kind: TemplateKind;
  /** File name under templates/ */
  readonly file: string;
  readonly title: string;
  readonly body: () => string;
}

/** Iterated rows: the marker row and the `[i+1]` row carbone needs to see the repetition. */
function rows(list: string, cells: readonly string[]): string[][] {
  const mark = (i: string): string[] => cells.map((c) => (c === '' ? '' : `{d.${list}[${i}].${c}}`));
  return [mark('i'), mark('i+1').map((c, n) => (n === 0 ? c : ''))];
}

const provider = (): string =>
  [
    p('Поставщик: {d.provider.full_name} ({d.provider.short_name})', 'Heading'),
    p('ИНН {d.provider.tax_number}, КПП {d.provider.kpp_number}'),
    p('Юридический адрес: {d.provider.juridical_address}; фактический адрес: {d.provider.actual_address}'),
    p(
      'р/с {d.provider.bank_account} в {d.provider.bank_name}, г. {d.provider.bank_city}, БИК {d.provider.bank_bic}, к/с {d.provider.bank_corr_account}',
    ),
  ].join('\n');

const customer = (): string =>
  [
    p('Покупатель: {d.user.full_name}', 'Heading'),
    p('ИНН {d.user.tax_number}, КПП {d.user.kpp_number}'),
    p('Адрес: {d.user.juridical_address:replace}'),
    p(
      'р/с {d.user.bank_account} в {d.user.bank_name}, г. {d.user.bank_city}, БИК {d.user.bank_bic}, к/с {d.user.bank_corr_account}',
    ),
    p(
      'Лицевой счёт {d.account.account_id} (внешний {d.account.external_id}), договор № {d.contract.number} «{d.contract.name}» от {d.contract.date:date_short}',
    ),
  ].join('\n');

const signatures = (): string =>
  table(
    'signatures',
    [
      [
        'Руководитель ______________ {d.provider.chief_short_name}',
        'Главный бухгалтер ______________ {d.provider.booker_short_name}',
      ],
    ],
    { plain: true },
  );

const billEntries = (withTax: boolean): string =>
  table(
    'bill_entries',
    [
      withTax
        ? ['№', 'Наименование', 'Ед.', 'Код', 'Кол-во', 'Цена', 'Без налога', 'Ставка, %', 'Налог', 'С налогом']
        : ['№', 'Наименование', 'Ед.', 'Кол-во', 'Цена', 'Сумма'],
      ...rows(
        'bill_entry',
        withTax
          ? [
              'id',
              'name',
              'unit_name:translate',
              'unit_code',
              'quantity',
              'price:money',
              'sum_without_tax:money',
              'tax_rate',
              'tax:money',
              'sum_with_tax:money',
            ]
          : ['id', 'name', 'unit_name:translate', 'quantity', 'price:money', 'sum_with_tax:money'],
      ),
    ],
    { head: true },
  );

const totals = (): string =>
  [
    p('Итого без налога: {d.bill.sum_without_tax:money}', 'Right'),
    p('Итого с налогом: {d.bill.sum_with_tax:money}', 'Right'),
    p('Всего наименований {d.bill.size}, на сумму {d.bill.sum_with_tax:money} {d.user.currency_short_name}'),
    p('Сумма прописью: {d.bill.sum_with_tax:sum_to_string}', 'Heading'),
  ].join('\n');

const serviceLinks = (): string =>
  [
    p('IP-адреса', 'Heading'),
    table(
      'ipgroups',
      [
        ['Логин', 'Пароль', 'MAC', 'IP', 'Маска', 'Шлюз'],
        ...rows('ipgroup', ['login', 'password', 'mac', 'ip', 'mask', 'gateway']),
      ],
      {
        head: true,
      },
    ),
    p('Подключённые тарифные планы', 'Heading'),
    table(
      'tariffs',
      [['Тариф', 'Стоимость', 'Лицевой счёт'], ...rows('tariff', ['name', 'cost:money', 'account_id'])],
      { head: true },
    ),
    p('Коммутируемый доступ', 'Heading'),
    table('dialup', [['Логин', 'Пароль', 'CID', 'CSID'], ...rows('dialup', ['login', 'password', 'cid', 'csid'])], {
      head: true,
    }),
    p('Hotspot', 'Heading'),
    table('hotspot', [['Логин', 'Пароль'], ...rows('hotspot', ['login', 'password'])], { head: true }),
    p('Телефония', 'Heading'),
    table(
      'telephony',
      [
        ['Номер', 'Логин', 'Пароль', 'Вх. транк', 'Исх. транк', 'АТС', 'CID'],
        ...rows('telephony', ['number', 'login', 'password', 'incoming_trunk', 'outgoing_trunk', 'pbx', 'cid']),
      ],
      { head: true },
    ),
    p(
      'IPTV: карта доступа {d.iptv.access_card_number} (на лицевом счёте {d.account.access_card_number}), код активации {d.iptv.activation_code.part1}-{d.iptv.activation_code.part2}-{d.iptv.activation_code.part3}-{d.iptv.activation_code.part4}-{d.iptv.activation_code.part5}-{d.iptv.activation_code.part6}',
    ),
  ].join('\n');

const userCard = (): string =>
  [
    p('Абонент: {d.user.full_name} (ID {d.user.id}), основной лицевой счёт {d.user.basic_account}', 'Heading'),
    p('Логин: {d.user.login}, пароль: {d.user.password}'),
    p('Паспорт: {d.user.passport}'),
    p(
      'Адрес: {d.user.actual_address}, район {d.user.district}, дом {d.user.building}, подъезд {d.user.entrance}, этаж {d.user.floor}, кв. {d.user.flat_number}',
    ),
    p(
      'Телефоны: дом. {d.user.home_telephone}, раб. {d.user.work_telephone}, моб. {d.user.mobile_telephone}; e-mail {d.user.email}; ICQ {d.user.icq_number}; сайт {d.user.web_page}',
    ),
    p('Подключён {d.user.connect_date:date_long}; персональный менеджер {d.user.personal_manager}'),
    p(
      'Баланс {d.account.balance:money} {d.user.currency_short_name} ({d.user.currency_full_name}, код {d.user.currency_code}), кредит {d.account.credit:money}; НДС {d.account.vat_rate} %, налог с продаж {d.account.sale_tax_rate} %',
    ),
    p(
      'Руководитель: {d.user.contacts.headman.full_name} ({d.user.contacts.headman.position}), тел. {d.user.contacts.headman.telephone}',
    ),
    p('Бухгалтер: {d.user.contacts.booker.short_name}, {d.user.contacts.booker.email}'),
    p('Примечание: {d.user.comments}'),
  ].join('\n');

const header = (title: string): string =>
  p(`${title} № {d.document.number} ({d.document.alt_number}) от {d.document.date:date_long}`, 'Title');

export const TEMPLATES: readonly TemplateDefinition[] = [
  {
    kind: 'invoice',
    file: 'invoice.odt',
    title: 'Счёт',
    body: () =>
      [
        header('Счёт на оплату'),
        provider(),
        customer(),
        p(
          'За период с {d.bill.period_start:date_short} по {d.bill.period_end:date_short}; счёт выставлен {d.bill.date:date_short}',
        ),
        billEntries(false),
        totals(),
        p('Баланс на момент выставления: {d.bill.balance_when_created:money}; задолженность: {d.bill.debt:money}'),
        p(
          'К оплате: {d.bill.payment_amount:money} без налога, {d.bill.payment_amount_with_tax:money} с налогом ({d.bill.payment_amount_with_tax:sum_to_string})',
        ),
        signatures(),
      ].join('\n'),
  },
  {
    kind: 'vat_invoice',
    file: 'vat_invoice.odt',
    title: 'Счёт-фактура',
    body: () =>
      [
        header('Счёт-фактура'),
        provider(),
        customer(),
        p('Валюта: {d.user.currency_full_name}, код {d.user.currency_code}'),
        billEntries(true),
        totals(),
        signatures(),
      ].join('\n'),
  },
  {
    kind: 'acceptance_report',
    file: 'acceptance_report.odt',
    title: 'Акт',
    body: () =>
      [
        header('Акт об оказании услуг'),
        provider(),
        customer(),
        p('Услуги оказаны за период с {d.bill.period_start:date_long} по {d.bill.period_end:date_long}:'),
        table(
          'acts',
          [
            ['№', 'Услуга', 'Кол-во', 'Ед.', 'Альт. кол-во', 'Альт. ед.', 'Альт. код', 'Альт. цена', 'Сумма'],
            ...rows('bill_entry', [
              'id',
              'name',
              'quantity',
              'unit_name:translate',
              'alt.quantity',
              'alt.unit_name:translate',
              'alt.unit_code',
              'alt.price:money',
              'sum_with_tax:money',
            ]),
          ],
          { head: true },
        ),
        totals(),
        p('Вышеперечисленные услуги выполнены полностью и в срок. Заказчик претензий не имеет.'),
        table(
          'parties',
          [['Исполнитель ______________ {d.provider.chief_short_name}', 'Заказчик ______________ {d.user.full_name}']],
          { plain: true },
        ),
      ].join('\n'),
  },
  {
    kind: 'receipt',
    file: 'receipt.odt',
    title: 'Квитанция',
    body: () =>
      [
        header('Квитанция об оплате'),
        provider(),
        p(
          'Плательщик: {d.user.full_name}, лицевой счёт {d.account.account_id}, договор № {d.contract.number} от {d.contract.date:date_short}',
          'Heading',
        ),
        p('Платёж № {d.payment.id}, документ {d.payment.document_number}'),
        p(
          'Сумма: {d.payment.amount_in_currency:money} {d.payment.currency_short_name} ({d.payment.currency_full_name}, код {d.payment.currency_code}) по курсу {d.payment.currency_rate}',
        ),
        p('Зачислено: {d.payment.amount_absolute:money} ({d.payment.amount_absolute:sum_to_string})', 'Heading'),
        p(
          'Дата платежа {d.payment.date.actual:date_short}, внесён {d.payment.date.enter:date_time}, сгорает {d.payment.date.burn:date_short}',
        ),
        p('Комментарий: {d.payment.comments.user}'),
        p('Служебный комментарий: {d.payment.comments.admin}; код {d.payment.hash}', 'Small'),
        p('Баланс после платежа: {d.account.balance:money}'),
        signatures(),
      ].join('\n'),
  },
  {
    kind: 'user_memo',
    file: 'user_memo.odt',
    title: 'Памятка абонента',
    body: () =>
      [
        header('Памятка абонента'),
        userCard(),
        serviceLinks(),
        p(
          'Договор № {d.contract.number} от {d.contract.date:date_short}; второй договор: № {d.contract.2.number} «{d.contract.2.name}» от {d.contract.2.date:date_short}',
        ),
        p('Служба поддержки: {d.provider.short_name}, {d.provider.actual_address}', 'Small'),
      ].join('\n'),
  },
  {
    kind: 'contract',
    file: 'contract.odt',
    title: 'Договор',
    body: () =>
      [
        p('Договор № {d.contract.number} «{d.contract.name}»', 'Title'),
        p('{d.contract.date:date_long}', 'Right'),
        p(
          '{d.provider.full_name}, в лице {d.provider.chief_full_name}, далее «Оператор», и {d.user.full_name}, паспорт {d.user.passport}, далее «Абонент», заключили настоящий договор об оказании услуг связи.',
        ),
        p('1. Оператор предоставляет Абоненту доступ к услугам по тарифным планам:', 'Heading'),
        table(
          'tariffs',
          [['Тариф', 'Абонентская плата', 'Лицевой счёт'], ...rows('tariff', ['name', 'cost:money', 'account_id'])],
          { head: true },
        ),
        p('2. Реквизиты доступа', 'Heading'),
        serviceLinks(),
        p('3. Договоры абонента', 'Heading'),
        table(
          'contracts',
          [['№', 'Название', 'Дата'], ...rows('contract.list', ['number', 'name', 'date:date_short'])],
          { head: true },
        ),
        p('4. Реквизиты сторон', 'Heading'),
        provider(),
        userCard(),
        p('Дополнительно: {d.user.params.1}', 'Small'),
        table(
          'parties',
          [['Оператор ______________ {d.provider.chief_short_name}', 'Абонент ______________ {d.user.full_name}']],
          { plain: true },
        ),
      ].join('\n'),
  },
  {
    kind: 'call_details',
    file: 'call_details.odt',
    title: 'Детализация звонков',
    body: () =>
      [
        header('Детализация звонков'),
        p('Абонент: {d.user.full_name}, лицевой счёт {d.account.account_id}, договор № {d.contract.number}', 'Heading'),
        p('Оператор: {d.provider.short_name}'),
        table(
          'calls',
          [
            ['№', 'Дата', 'Кто звонил', 'Куда', 'Префикс', 'Зона', 'Направление', 'Тип', 'Длительность', 'Стоимость'],
            ...rows('call', [
              'id',
              'date:date_time',
              'calling_number',
              'called_number',
              'called_prefix',
              'zone',
              'direction',
              'type:translate',
              'duration:duration',
              'cost:money',
            ]),
          ],
          { head: true },
        ),
        table(
          'summary',
          [
            ['Звонки', 'Количество', 'Длительность', 'Сумма'],
            [
              'Местные',
              '{d.summary.local.count}',
              '{d.summary.local.duration:duration}',
              '{d.summary.local.charges:money}',
            ],
            [
              'Внутризоновые',
              '{d.summary.innerzone.count}',
              '{d.summary.innerzone.duration:duration}',
              '{d.summary.innerzone.charges:money}',
            ],
            [
              'Междугородные',
              '{d.summary.intercity.count}',
              '{d.summary.intercity.duration:duration}',
              '{d.summary.intercity.charges:money}',
            ],
            [
              'Международные',
              '{d.summary.international.count}',
              '{d.summary.international.duration:duration}',
              '{d.summary.international.charges:money}',
            ],
          ],
          { head: true },
        ),
        p(
          'Периодические услуги: {d.summary.periodic_fee:money}; телефония: {d.summary.total_fee:money}; прочие: {d.summary.other_fee:money}',
        ),
        p('Итого за телефонию: {d.summary.total_fee:sum_to_string}', 'Heading'),
      ].join('\n'),
  },
];
