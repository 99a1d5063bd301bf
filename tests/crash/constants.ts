export const IMPORT_ROWS = 200;
export const BULK_ROWS = 300;
export const BULK_OP = '崩溃测试批量设置';
