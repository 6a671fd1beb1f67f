DROP TABLE cultivation_events;
DROP TABLE bookings;
DROP TABLE rooms;
DROP TABLE platforms;
