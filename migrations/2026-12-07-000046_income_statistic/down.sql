DELETE FROM stat_delta WHERE metric = 'income_fen';
DELETE FROM stat_value WHERE metric = 'income_fen';
