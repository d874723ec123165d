DROP TABLE stat_value, stat_delta;
